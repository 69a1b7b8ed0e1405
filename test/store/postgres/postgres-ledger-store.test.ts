import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LedgerIntegrityError } from '../../../src/errors.js';
import { LedgerStore } from '../../../src/store/index.js';
import { accountNets, insertEntries } from '../../../src/store/journal.js';
import type { LedgerTx } from '../../../src/store/ledger-store.js';
import { collect } from '../../support/books.js';
import { insertNewEvents, type SourceEventRow } from '../../../src/pipeline/sync/books/close-writes.js';
import type { JournalEntry } from '../../../src/rules/index.js';
import { usePostgresServer } from '../../support/postgres-server.js';
import { queryBuilder } from '../../../src/store/query-builder.js';

const { server, freshDatabase } = usePostgresServer();
const opened: LedgerStore[] = [];

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

async function openStore(): Promise<LedgerStore> {
  const store = await LedgerStore.openAt(await freshDatabase());
  opened.push(store);
  return store;
}

function entry(id: string, date: string, lines: [account: string, micros: bigint][]): JournalEntry {
  return {
    id,
    date,
    sourceId: 'smm-panel',
    description: id,
    eventIds: [],
    lines: lines.map(([account, amountMicros]) => ({ account, currency: 'USD', amountMicros })),
  };
}

const meta = { contentHash: 'hash', runId: null, now: '2026-03-03T00:00:00Z' };

/** An entry as the store books it, its lines' cents left at 0: these tests read exact amounts only. */
function toBook(row: JournalEntry, contentHash = 'hash') {
  return {
    entry: row,
    contentHash,
    eventIdsJson: JSON.stringify(row.eventIds),
    chainHash: contentHash,
    lineCents: row.lines.map(() => 0n),
    roundingLines: [],
  };
}

/** One entry through the store's bulk insert. */
function insertEntry(store: LedgerStore, row: JournalEntry, { contentHash, ...rest }: typeof meta): Promise<void> {
  return store.unitOfWork((tx) => insertEntries(tx, [toBook(row, contentHash)], rest));
}

describe('the PostgreSQL ledger store', () => {
  it('appends entries and reads the balances back exactly, per account, as of a date', async () => {
    const store = await openStore();
    const big = 9_007_199_254_740_993n;
    await store.unitOfWork(async (tx) => {
      await insertEntry(
        tx,
        entry('je:1', '2026-03-01', [
          ['panel_prepaid', 250_000_000n],
          ['opening_balance_equity', -250_000_000n],
        ]),
        meta,
      );
      await insertEntry(
        tx,
        entry('je:2', '2026-03-02', [
          ['smm_services_expense', big],
          ['panel_prepaid', -big],
        ]),
        meta,
      );
    });
    expect(await accountNets(store)).toEqual([
      { account: 'opening_balance_equity', currency: 'USD', netMicros: -250_000_000n },
      { account: 'panel_prepaid', currency: 'USD', netMicros: 250_000_000n - big },
      { account: 'smm_services_expense', currency: 'USD', netMicros: big },
    ]);
    expect(await accountNets(store, { asOf: '2026-03-01' })).toEqual([
      { account: 'opening_balance_equity', currency: 'USD', netMicros: -250_000_000n },
      { account: 'panel_prepaid', currency: 'USD', netMicros: 250_000_000n },
    ]);
  });

  it('keeps nothing of a unit of work that throws', async () => {
    const store = await openStore();
    const failed = store.unitOfWork(async (tx) => {
      await insertEntry(
        tx,
        entry('je:1', '2026-03-01', [
          ['a', 5n],
          ['b', -5n],
        ]),
        meta,
      );
      throw new Error('the close failed half way');
    });
    await expect(failed).rejects.toThrow('the close failed half way');
    expect(await store.all(queryBuilder(store).selectFrom('journal_lines').selectAll())).toEqual([]);
    expect(await store.all(queryBuilder(store).selectFrom('journal_entries').selectAll())).toEqual([]);
  });

  it('refuses an unbalanced entry at commit, as a ledger integrity error naming the ledger, and keeps none of the unit', async () => {
    const store = await openStore();
    const failed = store.unitOfWork(async (tx) => {
      await insertEntry(
        tx,
        entry('je:ok', '2026-03-01', [
          ['a', 5n],
          ['b', -5n],
        ]),
        meta,
      );
      // Refused only at COMMIT: the balance trigger is deferred, as lines come before their header.
      await insertEntry(
        tx,
        entry('je:off', '2026-03-01', [
          ['a', 5n],
          ['b', -4n],
        ]),
        meta,
      );
    });
    const error = await failed.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(LedgerIntegrityError);
    expect((error as Error).message).toMatch(
      /^the ledger ledgerline_test@127\.0\.0\.1:\d+\/ledger_\d+ refused the write: journal entry does not balance/,
    );
    expect((error as Error).message).not.toContain(server().password);
    expect(await accountNets(store)).toEqual([]);
  });

  it('runs units of work from other async contexts at once, each on its own connection, and a read outside them sees only what was committed', async () => {
    const store = await openStore();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstWrote!: () => void;
    const wrote = new Promise<void>((resolve) => (firstWrote = resolve));
    const first = store.unitOfWork(async (tx) => {
      await insertEntry(
        tx,
        entry('je:1', '2026-03-01', [
          ['a', 5n],
          ['b', -5n],
        ]),
        meta,
      );
      firstWrote();
      await held;
    });
    await wrote;
    // The first unit is still open: a second unit (another worker lane) runs and commits meanwhile. Another day:
    // the first unit holds its day's movements (migration 0022) until it commits, as it holds its running totals.
    await store.unitOfWork((tx) =>
      insertEntry(
        tx,
        entry('je:2', '2026-03-02', [
          ['a', 7n],
          ['b', -7n],
        ]),
        meta,
      ),
    );
    const ids = queryBuilder(store).selectFrom('journal_entries').select('id').orderBy('id');
    expect(await store.all(ids)).toEqual([{ id: 'je:2' }]);
    release();
    await first;
    expect(await store.all(ids)).toEqual([{ id: 'je:1' }, { id: 'je:2' }]);
  });

  it('joins a nested unit of work to the outer one: an error in the outer keeps none of the nested one', async () => {
    const store = await openStore();
    const failing = store.unitOfWork(async (tx) => {
      await tx.unitOfWork((tx) =>
        insertEntry(
          tx,
          entry('je:nested', '2026-03-01', [
            ['a', 5n],
            ['b', -5n],
          ]),
          meta,
        ),
      );
      expect(await tx.all(queryBuilder(tx).selectFrom('journal_entries').select('id'))).toEqual([{ id: 'je:nested' }]);
      throw new Error('the close failed after booking');
    });
    await expect(failing).rejects.toThrow('the close failed after booking');
    expect(await store.all(queryBuilder(store).selectFrom('journal_entries').select('id'))).toEqual([]);
  });

  it("sends a unit's statements started together one at a time on its connection (pg 9 drops its queue), each answered in turn", async () => {
    const store = await openStore();
    const send = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;
    const inFlight = new Map<pg.Client, number>();
    let overlapped = 0;
    const query = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args) {
      const running = inFlight.get(this) ?? 0;
      if (running > 0) overlapped += 1;
      inFlight.set(this, running + 1);
      const settled = () => inFlight.set(this, (inFlight.get(this) ?? 1) - 1);
      const result = send.apply(this, args);
      if (result instanceof Promise) result.then(settled, settled);
      else settled();
      return result as never;
    });
    try {
      const slowly = (tx: LedgerTx, n: number) =>
        tx.all(queryBuilder(tx).selectNoFrom(sql<string>`(SELECT ${String(n)}::text FROM pg_sleep(0.02))`.as('n')));
      const answers = await store.unitOfWork((tx) => Promise.all([3, 1, 2, 4].map((n) => slowly(tx, n))));
      expect(answers.map((rows) => rows[0]!.n)).toEqual(['3', '1', '2', '4']);
      expect(overlapped).toBe(0);
    } finally {
      query.mockRestore();
    }
  });

  it('streams rows through a cursor in pages, as objects or arrays, inside and outside a unit of work', async () => {
    const store = await openStore();
    const lines = Array.from({ length: 2_501 }, (_, index): [string, bigint] => [
      `account_${String(index).padStart(4, '0')}`,
      index === 0 ? -2_500n : 1n,
    ]);
    await store.unitOfWork((tx) => insertEntry(tx, entry('je:many', '2026-03-01', lines), meta));
    const query = queryBuilder(store)
      .selectFrom('journal_lines')
      .select(['line_no', 'account'])
      .where('entry_id', '=', 'je:many')
      .orderBy('line_no');
    const rows = await collect(store.iterate(query));
    expect(rows).toHaveLength(2_501);
    expect(rows[2_500]).toEqual({ line_no: 2_501n, account: 'account_2500' });
    const arrays = await store.unitOfWork((tx) => collect(tx.iterateArrays(query)));
    expect(arrays[0]).toEqual([1n, 'account_0000']);
    // A reader that stops early gives its connection back: more readers than the pool holds still run.
    for (let reader = 0; reader < 6; reader++) {
      for await (const row of store.iterate(query)) {
        expect(row.line_no).toBe(1n);
        break;
      }
    }
  });

  it('runs a row statement for thousands of rows in order, telling each new row from a repeated one, its values exact', async () => {
    const store = await openStore();
    const huge = 9_007_199_254_740_993n;
    const event = (index: number): SourceEventRow => ({
      id: `ev:${index}`,
      sourceId: 'smm-panel',
      kind: 'order_charge',
      date: '2026-03-01',
      currency: 'USD',
      amountMicros: huge + BigInt(index),
      ref: index % 2 === 0 ? `it's \\ "${index}"` : `${index};`,
      detail: JSON.stringify({ note: "O'Brien\\n" }),
    });
    const events = Array.from({ length: 2500 }, (_, index) => event(index));
    // A repeated id later in the same call is not new: the rows run one after another, not as one set.
    const stored = await store.unitOfWork((tx) =>
      insertNewEvents(tx, [...events, event(7), event(2499)], {
        runId: 'run:1',
        now: '2026-03-03T00:00:00Z',
      }),
    );
    expect(stored).toEqual([...events.map(() => true), false, false]);
    const rows = await store.all(
      queryBuilder(store)
        .selectFrom('source_events')
        .select(['id', 'amount_micros', 'ref', 'detail'])
        .orderBy('amount_micros'),
    );
    expect(rows).toHaveLength(2500);
    expect(rows[0]).toEqual({
      id: 'ev:0',
      amount_micros: huge,
      ref: `it's \\ "0"`,
      detail: JSON.stringify({ note: "O'Brien\\n" }),
    });
    expect(rows[2499]).toEqual({
      id: 'ev:2499',
      amount_micros: huge + 2499n,
      ref: '2499;',
      detail: JSON.stringify({ note: "O'Brien\\n" }),
    });
    expect(
      await store.unitOfWork((tx) =>
        insertNewEvents(tx, [event(3), event(2500)], { runId: 'run:2', now: '2026-03-04T00:00:00Z' }),
      ),
    ).toEqual([false, true]);
  });

  it('books 1,200 entries in one call, their rows as arrays in one INSERT, and still refuses a line added to a booked entry', async () => {
    const store = await openStore();
    const entries = Array.from({ length: 1200 }, (_, index) =>
      entry(`je:${index}`, '2026-03-01', [
        ['panel_prepaid', BigInt(index + 1)],
        ['opening_balance_equity', -BigInt(index + 1)],
      ]),
    );
    await store.unitOfWork((tx) =>
      insertEntries(
        tx,
        entries.map((row) => toBook(row)),
        meta,
      ),
    );
    expect(await accountNets(store)).toEqual([
      { account: 'opening_balance_equity', currency: 'USD', netMicros: -720_600n },
      { account: 'panel_prepaid', currency: 'USD', netMicros: 720_600n },
    ]);
    const again = store.unitOfWork((tx) =>
      insertEntries(
        tx,
        [
          toBook(
            entry('je:1199', '2026-03-02', [
              ['a', 5n],
              ['b', -5n],
            ]),
          ),
        ],
        meta,
      ),
    );
    await expect(again).rejects.toThrow(/journal entry already committed: lines cannot be added/);
    expect((await store.all(queryBuilder(store).selectFrom('journal_lines').select('entry_id'))).length).toBe(2400);
  });

  it("keeps none of a row statement's rows when one of them is refused", async () => {
    const store = await openStore();
    const events = Array.from({ length: 1500 }, (_, index): SourceEventRow => ({
      id: `ev:${index}`,
      sourceId: 'smm-panel',
      kind: 'order_charge',
      date: '2026-03-01',
      currency: 'USD',
      amountMicros: index === 1200 ? 0n : 1000n,
      ref: String(index),
      detail: '{}',
    }));
    await expect(
      store.unitOfWork((tx) => insertNewEvents(tx, events, { runId: 'run:1', now: '2026-03-03T00:00:00Z' })),
    ).rejects.toThrow(LedgerIntegrityError);
    expect(await store.all(queryBuilder(store).selectFrom('source_events').select('id'))).toEqual([]);
  });

  it('reports a sound ledger as sound', async () => {
    const store = await openStore();
    await store.unitOfWork((tx) =>
      insertEntry(
        tx,
        entry('je:1', '2026-03-01', [
          ['a', 5n],
          ['b', -5n],
        ]),
        meta,
      ),
    );
    expect(await store.integrityProblem()).toBeUndefined();
  });
});
