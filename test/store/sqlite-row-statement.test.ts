import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerStore } from '../../src/store/index.js';
import { insertNewEvents, type SourceEventRow } from '../../src/pipeline/sync/books/close-writes.js';
import {
  knownOrderIds,
  ordersNamed,
  registerOrders,
  type NewOrderRow,
} from '../../src/kinds/panel/books/panel-orders.js';
import { queryBuilder } from '../../src/store/query-builder.js';
import { ROWS_PER_INSERT } from '../../src/store/sqlite-row-statement.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();
const { fresh } = useLedgerEngines();
const meta = { firstSeenDate: '2026-04-01', now: '2026-04-02T02:00:00.000Z' };

function order(index: number, quantity = 1000n, discoveredVia = 'orders_file'): NewOrderRow {
  return { orderId: String(index), service: '1', quantity, createdAt: '2026-03-31', discoveredVia };
}

/** Ids `from` to `to`, as text. */
function ids(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, index) => String(from + index));
}

// SQLite binds ROWS_PER_INSERT rows to one statement and the rest one at a time; PostgreSQL sends them all in one.
describe.each(LEDGER_ENGINES)('a plain insert of more rows than one statement binds (%s)', (engine) => {
  const many = 2 * ROWS_PER_INSERT + 6;

  it('writes every row, the last partial statement too, and keeps the first of two rows for the same key', async () => {
    const store = await LedgerStore.openAt((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
    try {
      await store.unitOfWork((tx) =>
        registerOrders(
          tx,
          'smm-panel',
          ids(1, many)
            .map(Number)
            .map((index) => order(index)),
          meta,
        ),
      );
      const again = [...ids(many - 9, many + 30).map((id) => order(Number(id), 2000n)), order(many + 1, 3000n)];
      await store.unitOfWork((tx) => registerOrders(tx, 'smm-panel', again, meta));
      expect((await knownOrderIds(store, 'smm-panel', ids(1, many + 40))).size).toBe(many + 30);
      const quantities = new Map(
        (await ordersNamed(store, 'smm-panel', [String(many), String(many + 1)])).map((named) => [
          named.orderId,
          named.quantity,
        ]),
      );
      expect(quantities).toEqual(
        new Map([
          [String(many), 1000n],
          [String(many + 1), 2000n],
        ]),
      );
    } finally {
      await store.close();
    }
  });

  it('tells, for each event of an insert that returns what it stored, whether it was new, across statements and in any order of return', async () => {
    const store = await LedgerStore.openAt((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
    const event = (index: number): SourceEventRow => ({
      id: `ev:${index}`,
      sourceId: 'smm-panel',
      kind: 'order_charge',
      date: '2026-03-31',
      currency: 'USD',
      amountMicros: 1_000n,
      ref: String(index),
      detail: '{}',
    });
    const stored = (events: SourceEventRow[]) =>
      store.unitOfWork((tx) => insertNewEvents(tx, events, { runId: 'run:1', now: meta.now }));
    try {
      await stored(ids(1, 10).map(Number).map(event));
      // Known ids in the first statement and the last, a new one twice in the second, the rest new.
      const again = [
        5,
        ...ids(11, ROWS_PER_INSERT + 20).map(Number),
        40,
        ...ids(ROWS_PER_INSERT + 21, many).map(Number),
        2,
      ].map(event);
      const news = await stored(again);
      expect(news.length).toBe(again.length);
      expect(news.filter((isNew) => !isNew).length).toBe(3);
      expect([news[0], news[again.length - 1], news[ROWS_PER_INSERT + 11]]).toEqual([false, false, false]);
      expect(news.slice(1, ROWS_PER_INSERT + 11).every(Boolean)).toBe(true);
      expect(await stored([event(many + 1), event(7)])).toEqual([true, false]);
    } finally {
      await store.close();
    }
  });

  it('writes each row with its own shared values when they change within a statement', async () => {
    const store = await LedgerStore.openAt((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
    // Dates and currencies change mid-statement, on a lone row, and back: each row keeps its own.
    const dateOf = (index: number) => (index <= 40 || index === 45 ? '2026-03-30' : '2026-03-31');
    const currencyOf = (index: number) => (index === 60 ? 'EUR' : 'USD');
    const events = ids(1, many)
      .map(Number)
      .map((index): SourceEventRow => ({
        id: `ev:${index}`,
        sourceId: 'smm-panel',
        kind: 'order_charge',
        date: dateOf(index),
        currency: currencyOf(index),
        amountMicros: BigInt(index),
        ref: String(index),
        detail: '{}',
      }));
    try {
      await store.unitOfWork((tx) => insertNewEvents(tx, events, { runId: 'run:1', now: meta.now }));
      const stored = await store.all(
        queryBuilder(store).selectFrom('source_events').select(['id', 'date', 'currency', 'amount_micros', 'run_id']),
      );
      const byId = new Map(stored.map((row) => [row.id, row]));
      expect(byId.size).toBe(many);
      for (const index of ids(1, many).map(Number))
        expect(byId.get(`ev:${index}`)).toMatchObject({
          date: dateOf(index),
          currency: currencyOf(index),
          run_id: 'run:1',
        });
      expect(stored.every((row) => BigInt(row.amount_micros) === BigInt(row.id.slice(3)))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('commits none of its rows when one in the middle of a statement is refused', async () => {
    const store = await LedgerStore.openAt((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
    try {
      const refusedAt = ROWS_PER_INSERT + 7;
      const orders = ids(1, many).map((id) =>
        order(Number(id), 1000n, Number(id) === refusedAt ? (null as unknown as string) : 'orders_file'),
      );
      await expect(store.unitOfWork((tx) => registerOrders(tx, 'smm-panel', orders, meta))).rejects.toThrow(
        /discovered_via/,
      );
      expect((await knownOrderIds(store, 'smm-panel', ids(1, many))).size).toBe(0);
    } finally {
      await store.close();
    }
  });
});
