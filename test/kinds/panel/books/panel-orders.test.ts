import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerStore } from '../../../../src/store/index.js';
import {
  openOrderHeads,
  registerObservedOrders,
  registerOrders,
  saveOrderStates,
  type NewOrderRow,
  type OrderStateRow,
} from '../../../../src/kinds/panel/books/panel-orders.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir();
const meta = { firstSeenDate: '2026-03-02', now: '2026-03-03T01:00:00.000Z' };

function order(orderId: string, discoveredVia = 'orders-file'): NewOrderRow {
  return { orderId, service: '1', quantity: 1000n, createdAt: '2026-03-01T00:00:00.000Z', discoveredVia };
}

function state(orderId: string, terminal: boolean): OrderStateRow {
  return {
    orderId,
    state: `{"orderId":"${orderId}"}`,
    terminal,
    unknownSince: terminal ? null : '2026-03-02',
    lastObservedDate: '2026-03-02',
  };
}

async function ordersAfter(write: (store: LedgerStore) => Promise<void>) {
  const store = await LedgerStore.open(join(tempDir(), `ledger-${Math.random()}.sqlite`));
  await store.unitOfWork((tx) =>
    registerOrders(tx, 'smm-panel', [order('2', 'panel-proxy'), order('3', 'panel-proxy')], {
      firstSeenDate: '2026-03-01',
      now: '2026-03-01T01:00:00.000Z',
    }),
  );
  await write(store);
  const rows = store.sqlite.prepare('SELECT rowid, * FROM orders ORDER BY rowid').all();
  await store.close();
  return rows;
}

describe('registerObservedOrders', () => {
  it('leaves the orders as registerOrders then saveOrderStates would: a known order keeps its record and takes its state, one not observed keeps its own', async () => {
    const found = [
      { order: order('1'), next: state('1', false) },
      { order: order('2'), next: state('2', true) },
      { order: order('3'), next: undefined },
      { order: order('4', 'drip-feed'), next: undefined },
    ];
    const inOne = await ordersAfter((store) =>
      store.unitOfWork((tx) => registerObservedOrders(tx, 'smm-panel', found, meta)),
    );
    const inTwo = await ordersAfter(async (store) => {
      await store.unitOfWork((tx) =>
        registerOrders(
          tx,
          'smm-panel',
          found.map((row) => row.order),
          meta,
        ),
      );
      await store.unitOfWork((tx) =>
        saveOrderStates(
          tx,
          'smm-panel',
          found.flatMap((row) => (row.next ? [row.next] : [])),
          meta.now,
        ),
      );
    });
    expect(inOne).toEqual(inTwo);
    expect(
      inOne.map((row) => [
        (row as { order_id: string }).order_id,
        (row as { discovered_via: string }).discovered_via,
        (row as { terminal: bigint }).terminal,
      ]),
    ).toEqual([
      ['2', 'panel-proxy', 1n],
      ['3', 'panel-proxy', 0n],
      ['1', 'orders-file', 0n],
      ['4', 'drip-feed', 0n],
    ]);
  });
});

describe('saveOrderStates', () => {
  it('writes each state, whether its order stays open, finishes or (a replay) opens again, and keeps the state it replaced', async () => {
    const later = (next: OrderStateRow): OrderStateRow => ({
      ...next,
      state: `{"orderId":"${next.orderId}","later":true}`,
      lastObservedDate: '2026-03-03',
    });
    const save = (store: LedgerStore, states: OrderStateRow[]) =>
      store.unitOfWork((tx) => saveOrderStates(tx, 'smm-panel', states, meta.now));
    const store = await LedgerStore.open(join(tempDir(), 'ledger-states.sqlite'));
    await store.unitOfWork((tx) =>
      registerOrders(
        tx,
        'smm-panel',
        ['1', '2', '3'].map((id) => order(id)),
        meta,
      ),
    );
    await save(store, [state('1', false), state('2', false), state('3', true)]);
    // 1 stays open, 2 finishes, 3 is open again.
    await save(store, [later(state('1', false)), later(state('2', true)), later(state('3', false))]);
    const orders = store.sqlite
      .prepare('SELECT order_id, state, terminal, unknown_since, last_observed_date FROM orders ORDER BY order_id')
      .raw()
      .all();
    const kept = store.sqlite
      .prepare('SELECT order_id, date, state FROM order_states_by_close ORDER BY order_id')
      .raw()
      .all();
    await store.close();
    expect(orders).toEqual([
      ['1', '{"orderId":"1","later":true}', 0n, '2026-03-02', '2026-03-03'],
      ['2', '{"orderId":"2","later":true}', 1n, null, '2026-03-03'],
      ['3', '{"orderId":"3","later":true}', 0n, '2026-03-02', '2026-03-03'],
    ]);
    expect(kept).toEqual([
      ['1', '2026-03-02', '{"orderId":"1"}'],
      ['2', '2026-03-02', '{"orderId":"2"}'],
      ['3', '2026-03-02', '{"orderId":"3"}'],
    ]);
  });
});

describe('openOrderHeads', () => {
  it("lists every open order of the source once, a chunk of at most 5,000 at a time, and no finished one nor another source's", async () => {
    const store = await LedgerStore.open(join(tempDir(), 'heads.sqlite'));
    const ids = Array.from({ length: 10_003 }, (_, index) => String(1_000_001 + index));
    await store.unitOfWork((tx) =>
      registerOrders(
        tx,
        'smm-panel',
        ids.map((id) => order(id)),
        meta,
      ),
    );
    await store.unitOfWork((tx) => registerOrders(tx, 'other-panel', [order('1')], meta));
    const finished = new Set(ids.filter((_, index) => index % 1_000 === 7));
    await store.unitOfWork((tx) =>
      saveOrderStates(
        tx,
        'smm-panel',
        [...finished].map((id) => state(id, true)),
        meta.now,
      ),
    );
    const chunks = [];
    for await (const chunk of openOrderHeads(store, 'smm-panel')) chunks.push(chunk);
    await store.close();
    expect(chunks.map((chunk) => chunk.length)).toEqual([5_000, 4_993]);
    const listed = chunks.flat();
    expect(new Set(listed.map((head) => head.orderId))).toEqual(new Set(ids.filter((id) => !finished.has(id))));
    expect(listed[0]).toEqual({ orderId: '1000001', createdAt: '2026-03-01T00:00:00.000Z', unknownSince: null });
  });
});
