import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerStore } from '../../../../src/store/index.js';
import { orderStatesAsOf } from '../../../../src/kinds/panel/books/replay-snapshots.js';
import { panelQueries } from '../../../../src/kinds/panel/books/panel-tables.js';
import {
  registerObservedOrders,
  registerOrders,
  saveOrderStates,
} from '../../../../src/kinds/panel/books/panel-orders.js';
import { useFreshStores } from '../../../store/fresh-stores.js';
import { LEDGER_ENGINES } from '../../../support/ledger-engines.js';
import { ledgerBeforeMigration } from '../../../support/ledger-before-migration.js';
import { ordersFileOrder, pendingOrderRow, pendingOrderState } from '../../../support/panel-order-rows.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir();
const { openFresh, closeAfter } = useFreshStores(tempDir);

const meta = { firstSeenDate: '2026-03-02', now: '2026-03-02T01:00:00.000Z' };

/** The charge booked so far that each order's kept state says as of `asOf`. */
async function bookedAsOf(store: LedgerStore, asOf: string): Promise<Record<string, bigint>> {
  const states = await orderStatesAsOf(store, 'smm-panel', asOf);
  return Object.fromEntries([...states].map(([orderId, state]) => [orderId, state.bookedNetMicros]));
}

/** Two orders first seen on 03-02: 1 registered from the orders file without a state, 2 observed with its state (900 booked). */
async function registerOrdersOneAndTwo(store: LedgerStore): Promise<void> {
  await store.unitOfWork((tx) => registerOrders(tx, 'smm-panel', [ordersFileOrder('1')], meta));
  await store.unitOfWork((tx) =>
    registerObservedOrders(
      tx,
      'smm-panel',
      [{ order: ordersFileOrder('2'), next: pendingOrderRow('2', 900n, '2026-03-02') }],
      meta,
    ),
  );
}

describe.each(LEDGER_ENGINES)('order states kept after each close (%s)', (engine) => {
  it('keeps the last state an order took on a day, the earlier days as they were, whether the order was registered with its state or given it later', async () => {
    const store = await openFresh(engine);
    await registerOrdersOneAndTwo(store);
    await store.unitOfWork(async (tx) => {
      await saveOrderStates(tx, 'smm-panel', [pendingOrderRow('1', 1000n, '2026-03-02')], meta.now);
      await saveOrderStates(
        tx,
        'smm-panel',
        [pendingOrderRow('1', 800n, '2026-03-02'), pendingOrderRow('2', 700n, '2026-03-02')],
        meta.now,
      );
    });
    await store.unitOfWork((tx) =>
      saveOrderStates(tx, 'smm-panel', [pendingOrderRow('1', 500n, '2026-03-03')], '2026-03-03T01:00:00.000Z'),
    );
    await store.unitOfWork((tx) =>
      saveOrderStates(tx, 'smm-panel', [pendingOrderRow('1', 400n, '2026-03-03')], '2026-03-03T02:00:00.000Z'),
    );

    expect(await bookedAsOf(store, '2026-03-01')).toEqual({});
    expect(await bookedAsOf(store, '2026-03-02')).toEqual({ '1': 800n, '2': 700n });
    expect(await bookedAsOf(store, '2026-03-03')).toEqual({ '1': 400n, '2': 700n });
  });

  it("writes an order's first state once, in its orders row, and keeps a state apart only when a close of another date replaces it", async () => {
    const store = await openFresh(engine);
    await registerOrdersOneAndTwo(store);
    await store.unitOfWork((tx) =>
      saveOrderStates(tx, 'smm-panel', [pendingOrderRow('1', 1000n, '2026-03-02')], meta.now),
    );
    await store.unitOfWork((tx) =>
      saveOrderStates(tx, 'smm-panel', [pendingOrderRow('1', 800n, '2026-03-02')], meta.now),
    );
    expect(await keptApart(store)).toEqual([]);

    await store.unitOfWork((tx) =>
      saveOrderStates(tx, 'smm-panel', [pendingOrderRow('1', 500n, '2026-03-03')], '2026-03-03T01:00:00.000Z'),
    );
    expect(await keptApart(store)).toEqual([{ order_id: '1', date: '2026-03-02' }]);
    expect(await bookedAsOf(store, '2026-03-02')).toEqual({ '1': 800n, '2': 900n });
    expect(await bookedAsOf(store, '2026-03-05')).toEqual({ '1': 500n, '2': 900n });
  });

  it('keeps the later state when a replay closes an earlier date again, and drops it once the replay reaches that date', async () => {
    const store = await openFresh(engine);
    await store.unitOfWork((tx) => registerOrders(tx, 'smm-panel', [ordersFileOrder('1')], meta));
    for (const [booked, date] of [
      [100n, '2026-03-02'],
      [200n, '2026-03-03'],
      [300n, '2026-03-04'],
    ] as const) {
      await store.unitOfWork((tx) => saveOrderStates(tx, 'smm-panel', [pendingOrderRow('1', booked, date)], meta.now));
    }
    // The replay of 3 March books 250 where 200 was; 4 March stays as it was until the replay reaches it.
    await store.unitOfWork((tx) =>
      saveOrderStates(tx, 'smm-panel', [pendingOrderRow('1', 250n, '2026-03-03')], meta.now),
    );
    expect(await bookedAsOf(store, '2026-03-02')).toEqual({ '1': 100n });
    expect(await bookedAsOf(store, '2026-03-03')).toEqual({ '1': 250n });
    expect(await bookedAsOf(store, '2026-03-04')).toEqual({ '1': 300n });
    await store.unitOfWork((tx) =>
      saveOrderStates(tx, 'smm-panel', [pendingOrderRow('1', 350n, '2026-03-04')], meta.now),
    );
    expect(await bookedAsOf(store, '2026-03-03')).toEqual({ '1': 250n });
    expect(await bookedAsOf(store, '2026-03-04')).toEqual({ '1': 350n });
    expect(await keptApart(store)).toEqual([
      { order_id: '1', date: '2026-03-02' },
      { order_id: '1', date: '2026-03-03' },
    ]);
    const named = await orderStatesAsOf(store, 'smm-panel', '2026-03-03', ['1', '2']);
    expect([...named].map(([orderId, state]) => [orderId, state.bookedNetMicros])).toEqual([['1', 250n]]);
  });
});

/** The order states kept apart from the orders rows: those a close of a later (or, in a replay, earlier) date replaced. */
async function keptApart(store: LedgerStore): Promise<{ order_id: string; date: string }[]> {
  return store.all(
    panelQueries(store)
      .selectFrom('order_states_by_close')
      .select(['order_id', 'date'])
      .orderBy('order_id')
      .orderBy('date'),
  );
}

/** A ledger as it stood before 0013: one order whose state the 0010 upsert kept for 2 March. */
async function ledgerBefore0013(path: string): Promise<void> {
  await ledgerBeforeMigration(path, '0013', (sqlite) => {
    sqlite
      .prepare(
        `INSERT INTO orders (source_id, order_id, discovered_via, first_seen_date, state, last_observed_date, updated_at) VALUES ('smm-panel', '1', 'orders-file', '2026-03-02', ?, '2026-03-02', 'then')`,
      )
      .run(pendingOrderState('1', 900n, '2026-03-02'));
  });
}

describe('upgrading a ledger to order states kept by replacement (0013)', () => {
  it('keeps the states kept before, and a state saved twice on a day keeps the later', async () => {
    const path = join(tempDir(), 'ledger.sqlite');
    await ledgerBefore0013(path);
    const store = closeAfter(await LedgerStore.open(path));
    expect(await bookedAsOf(store, '2026-03-02')).toEqual({ '1': 900n });
    await store.unitOfWork((tx) =>
      saveOrderStates(tx, 'smm-panel', [pendingOrderRow('1', 600n, '2026-03-02')], meta.now),
    );
    await store.unitOfWork((tx) =>
      saveOrderStates(tx, 'smm-panel', [pendingOrderRow('1', 300n, '2026-03-03')], meta.now),
    );
    expect(await bookedAsOf(store, '2026-03-02')).toEqual({ '1': 600n });
    expect(await bookedAsOf(store, '2026-03-03')).toEqual({ '1': 300n });
    expect(
      store.sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'orders' ORDER BY name")
        .pluck()
        .all(),
    ).toEqual(['orders_state_superseded']);
  });
});

describe('upgrading a ledger to order states kept once (0016)', () => {
  it('reads the same states as before, and drops only the kept rows that repeated an orders row', async () => {
    const path = join(tempDir(), 'ledger.sqlite');
    await ledgerBeforeMigration(path, '0016', (sqlite) => {
      const insert = sqlite.prepare(
        `INSERT INTO orders (source_id, order_id, discovered_via, first_seen_date, state, last_observed_date, updated_at) VALUES ('smm-panel', ?, 'orders-file', '2026-03-02', ?, ?, 'then')`,
      );
      insert.run('1', pendingOrderState('1', 900n, '2026-03-02'), '2026-03-02');
      insert.run('2', pendingOrderState('2', 700n, '2026-03-02'), '2026-03-02');
      // Order 1 observed again on 3 March: the trigger of 0013 kept both days.
      sqlite
        .prepare(`UPDATE orders SET state = ?, last_observed_date = '2026-03-03' WHERE order_id = '1'`)
        .run(pendingOrderState('1', 400n, '2026-03-03'));
      expect(sqlite.prepare('SELECT COUNT(*) FROM order_states_by_close').pluck().get()).toBe(3);
    });
    const store = closeAfter(await LedgerStore.open(path));
    expect(await keptApart(store)).toEqual([{ order_id: '1', date: '2026-03-02' }]);
    expect(await bookedAsOf(store, '2026-03-02')).toEqual({ '1': 900n, '2': 700n });
    expect(await bookedAsOf(store, '2026-03-03')).toEqual({ '1': 400n, '2': 700n });
  });
});
