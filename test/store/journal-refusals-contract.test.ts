import { describe, expect, it } from 'vitest';
import { LedgerIntegrityError } from '../../src/errors.js';
import type { JournalEntry } from '../../src/rules/index.js';
import { LedgerStore } from '../../src/store/index.js';
import { insertEntries } from '../../src/store/journal.js';
import type { LedgerTx } from '../../src/store/ledger-store.js';
import { queryBuilder } from '../../src/store/query-builder.js';
import { useFreshStores } from './fresh-stores.js';
import { LEDGER_ENGINES } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * Below the Ledger (whose own check names the entry first), the database's journal triggers and keys refuse broken
 * books on either engine with one error type, LedgerIntegrityError, naming the ledger and saying what was refused.
 */
const tempDir = useTempDir('ledgerline-journal-refusals-');
const { openFresh } = useFreshStores(tempDir);
const meta = { runId: null, now: '2026-03-03T00:00:00Z' };

function entry(id: string, lines: bigint[]): JournalEntry {
  return {
    id,
    date: '2026-03-01',
    sourceId: 'smm-panel',
    description: id,
    eventIds: [],
    lines: lines.map((amountMicros, index) => ({ account: `a${index}`, currency: 'USD', amountMicros })),
  };
}

function book(tx: LedgerTx, row: JournalEntry): Promise<void> {
  const toBook = {
    entry: row,
    contentHash: `hash:${row.id}`,
    eventIdsJson: '[]',
    chainHash: `hash:${row.id}`,
    lineCents: row.lines.map(() => 0n),
    roundingLines: [],
  };
  return insertEntries(tx, [toBook], meta);
}

/** The journal's lines as stored, in order. */
function lines(store: LedgerStore): Promise<unknown[]> {
  return store.all(
    queryBuilder(store)
      .selectFrom('journal_lines')
      .select(['entry_id', 'amount_micros'])
      .orderBy('entry_id')
      .orderBy('line_no'),
  );
}

/** What a unit of work was refused with: the error, which must be a LedgerIntegrityError naming the ledger. */
async function refusal(store: LedgerStore, work: (tx: LedgerTx) => Promise<unknown>): Promise<string> {
  const error = await store.unitOfWork(work).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(LedgerIntegrityError);
  const message = (error as Error).message;
  expect(message.startsWith(`the ledger ${store.path} refused the write: `)).toBe(true);
  expect(message.endsWith('; nothing of it was kept')).toBe(true);
  return message;
}

describe.each(LEDGER_ENGINES)('the journal’s refusals below the Ledger: %s', (engine) => {
  it('an entry that does not balance, or has fewer than two lines: a LedgerIntegrityError with the trigger’s words, nothing kept', async () => {
    const store = await openFresh(engine);
    expect(
      await refusal(store, async (tx) => {
        await book(tx, entry('je:ok', [5n, -5n]));
        await book(tx, entry('je:off', [5n, -4n]));
      }),
    ).toContain('journal entry does not balance: debits and credits differ in a currency');
    expect(await refusal(store, (tx) => book(tx, entry('je:one', [5n])))).toContain(
      'journal entry has fewer than two lines',
    );
    expect(await lines(store)).toEqual([]);
  });

  it('an entry id booked twice, and an UPDATE or DELETE of the journal: a LedgerIntegrityError, the books unchanged', async () => {
    const store = await openFresh(engine);
    await store.unitOfWork((tx) => book(tx, entry('je:1', [7n, -7n])));
    // Which rule says no first differs by engine (the id's key, or the lines of a committed entry): the type does not.
    await refusal(store, (tx) => book(tx, entry('je:1', [7n, -7n])));
    expect(
      await refusal(store, (tx) => tx.run(queryBuilder(tx).updateTable('journal_lines').set({ account: 'other' }))),
    ).toContain('journal lines are immutable: UPDATE refused');
    expect(await refusal(store, (tx) => tx.run(queryBuilder(tx).deleteFrom('journal_entries')))).toContain(
      'journal entries are immutable: DELETE refused; book a reversing entry',
    );
    expect(await lines(store)).toEqual([
      { entry_id: 'je:1', amount_micros: 7n },
      { entry_id: 'je:1', amount_micros: -7n },
    ]);
  });
});
