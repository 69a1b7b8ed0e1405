import type { Kysely } from 'kysely';
import { appendOnly, runStatements, TEXT } from './postgres-rules.js';

/**
 * Journal numbers now come from an entry's date and id, not from its ledger
 * position (append order differs between a rerun day, many workers and an
 * uninterrupted run). An entry booked before this migration may already sit
 * in QuickBooks or in an imported CSV under "LL-<position>-<hash>", and a
 * look-up after an unknown outcome must find it under that number: its
 * position is recorded here, once, and every entry booked later has none.
 * The export order follows (date, source, id), which the new index serves.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE legacy_journal_numbers (
       entry_id TEXT PRIMARY KEY REFERENCES journal_entries (id),
       ledger_position INTEGER NOT NULL
     ) STRICT, WITHOUT ROWID`,
    `INSERT INTO legacy_journal_numbers (entry_id, ledger_position) SELECT id, seq FROM journal_entries`,
    ...(['UPDATE', 'DELETE'] as const).map(
      (statement) =>
        `CREATE TRIGGER legacy_journal_numbers_no_${statement.toLowerCase()} BEFORE ${statement} ON legacy_journal_numbers
         BEGIN SELECT RAISE(ABORT, 'legacy journal numbers are append-only: ${statement} refused'); END`,
    ),
    `CREATE INDEX journal_entries_by_identity ON journal_entries (date, source_id, id)`,
  ]);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE legacy_journal_numbers (
       entry_id ${TEXT} PRIMARY KEY REFERENCES journal_entries (id),
       ledger_position BIGINT NOT NULL
     )`,
    `INSERT INTO legacy_journal_numbers (entry_id, ledger_position) SELECT id, seq FROM journal_entries`,
    ...appendOnly('legacy_journal_numbers', 'legacy journal numbers are'),
    `CREATE INDEX journal_entries_by_identity ON journal_entries (date, source_id, id)`,
  ]);
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
