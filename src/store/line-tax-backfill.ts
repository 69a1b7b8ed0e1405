import type { BookedTaxField } from '../rules/index.js';
import { holdLedgerLock, INSERT_LINE_TAX, lineTaxRow } from './journal.js';
import type { LedgerStore, LedgerTx } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';

/** An entry booked before its lines kept their treatment (migration 0039), as the backfill reads it. */
export interface EntryAwaitingTreatment {
  id: string;
  date: string;
  sourceId: string;
  lines: { account: string; currency: string; amountMicros: bigint; description?: string }[];
}

/** What the backfill did: how many entries were given their treatments, and the first and last of their dates. */
export interface TreatmentsGiven {
  entries: number;
  from?: string;
  to?: string;
}

/** Entries read and written per round: a round's lines are held in memory, however many entries wait. */
const ENTRIES_PER_ROUND = 500;

/** Whether any entry booked before migration 0039 still waits for its lines' treatments (one indexed row at most). */
async function entriesAwaitTreatment(store: LedgerStore): Promise<boolean> {
  const rows = await store.all(
    queryBuilder(store).selectFrom('journal_line_taxes_pending').select('entry_id').limit(1),
  );
  return rows.length > 0;
}

/**
 * Gives every entry booked before migration 0039 its lines' treatments, once, in one unit of work (issue 82): each
 * waiting entry's lines are handed to `treat` (the rules in force on its date) and its rows written, its id deleted
 * from journal_line_taxes_pending in the same unit. This is the one path past the trigger that refuses a row for an
 * entry already booked: the trigger lets a row in only for an entry still pending. An entry that has rows is never
 * pending, so it is never touched again. `treatment` is asked only when an entry waits; undefined (no chart's tax)
 * leaves them waiting, and so does a ledger with none: then undefined. Example: 9 entries of 2026-03-29 … 2026-04-02 →
 * { entries: 9, from: 2026-03-29, to: 2026-04-02 }.
 */
export async function giveTreatmentsToEntriesBookedBefore(
  store: LedgerStore,
  treatment: () => ((entry: EntryAwaitingTreatment) => BookedTaxField[]) | undefined,
): Promise<TreatmentsGiven | undefined> {
  if (!(await entriesAwaitTreatment(store))) return undefined;
  const treat = treatment();
  if (treat === undefined) return undefined;
  return store.unitOfWork(async (tx) => {
    // Two commands opening the books at once: the second waits here, then finds nothing pending (each round reads after the lock).
    await holdLedgerLock(tx);
    const given: TreatmentsGiven = { entries: 0 };
    let after = '';
    // Bounded: each round takes ids past the last one, and deletes what it took.
    for (;;) {
      const entries = await awaitingAfter(tx, after);
      if (entries.length === 0) return given.entries === 0 ? undefined : given;
      const rows: unknown[][] = [];
      for (const entry of entries) {
        treat(entry).forEach((tax, index) => rows.push(lineTaxRow(entry.id, index + 1, tax)));
        given.entries += 1;
        if (given.from === undefined || entry.date < given.from) given.from = entry.date;
        if (given.to === undefined || entry.date > given.to) given.to = entry.date;
      }
      await tx.runEach(INSERT_LINE_TAX, rows);
      const ids = entries.map((entry) => entry.id);
      await tx.run(queryBuilder(tx).deleteFrom('journal_line_taxes_pending').where('entry_id', 'in', ids));
      after = ids[ids.length - 1]!;
    }
  });
}

/** The next round of waiting entries after `after` (by id), each with its journal lines in order. */
async function awaitingAfter(tx: LedgerTx, after: string): Promise<EntryAwaitingTreatment[]> {
  const pending = await tx.all(
    queryBuilder(tx)
      .selectFrom('journal_line_taxes_pending as p')
      .innerJoin('journal_entries as e', 'e.id', 'p.entry_id')
      .select(['e.id', 'e.date', 'e.source_id'])
      .where('p.entry_id', '>', after)
      .orderBy('p.entry_id')
      .limit(ENTRIES_PER_ROUND),
  );
  if (pending.length === 0) return [];
  const lines = await tx.all(
    queryBuilder(tx)
      .selectFrom('journal_lines')
      .select(['entry_id', 'line_no', 'account', 'currency', 'amount_micros', 'description'])
      .where(
        'entry_id',
        'in',
        pending.map((row) => row.id),
      )
      .orderBy('entry_id')
      .orderBy('line_no'),
  );
  const byEntry = new Map<string, EntryAwaitingTreatment>(
    pending.map((row) => [row.id, { id: row.id, date: row.date, sourceId: row.source_id, lines: [] }]),
  );
  for (const line of lines) {
    byEntry.get(line.entry_id)!.lines.push({
      account: line.account,
      currency: line.currency,
      amountMicros: BigInt(line.amount_micros),
      ...(line.description === null ? {} : { description: line.description }),
    });
  }
  return [...byEntry.values()];
}
