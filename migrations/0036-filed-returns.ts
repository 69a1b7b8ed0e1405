import type { Kysely } from 'kysely';
import { TEXT, appendOnly as appendOnlyPostgres, runStatements } from './postgres-rules.js';
import { appendOnly } from './sqlite-rules.js';

/**
 * Filed tax returns (issue 70): one row per period `ledgerline vat file` marked filed, with the period's first and
 * last day, the form (VAT, BAS, GST101A), the currency, each box's figure as JSON ({"1": "12.80", …}), the SHA-256
 * of the return as `vat` printed it, when and by whom. Append-only: a filed return is never unfiled.
 * No entry is booked on or before the end of the last filed period, as after a close: a trigger refuses it, the
 * backstop of the check the append makes first. Example: 2026-Q1 filed (period_end 2026-03-31) → an entry dated
 * 2026-03-31 is refused, one dated 2026-04-01 is booked.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE filed_returns (
       period TEXT PRIMARY KEY,
       period_start TEXT NOT NULL,
       period_end TEXT NOT NULL,
       form TEXT NOT NULL,
       currency TEXT NOT NULL,
       boxes TEXT NOT NULL,
       return_sha256 TEXT NOT NULL,
       filed_at TEXT NOT NULL,
       filed_by TEXT NOT NULL
     ) STRICT`,
    ...appendOnly('filed_returns', FILED_SUBJECT),
    `CREATE TRIGGER journal_entries_after_filed_returns BEFORE INSERT ON journal_entries
       WHEN NEW.date <= (SELECT MAX(period_end) FROM filed_returns)
       BEGIN SELECT RAISE(FAIL, '${IN_FILED_PERIOD}'); END`,
  ]);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE filed_returns (
       period ${TEXT} PRIMARY KEY,
       period_start ${TEXT} NOT NULL,
       period_end ${TEXT} NOT NULL,
       form ${TEXT} NOT NULL,
       currency ${TEXT} NOT NULL,
       boxes ${TEXT} NOT NULL,
       return_sha256 ${TEXT} NOT NULL,
       filed_at ${TEXT} NOT NULL,
       filed_by ${TEXT} NOT NULL
     )`,
    ...appendOnlyPostgres('filed_returns', FILED_SUBJECT),
    // Written to run again (as 0025 and 0026 are): a test that takes a ledger back before it drops only its table.
    `CREATE OR REPLACE FUNCTION ledgerline_journal_entry_after_filed_returns() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.date <= (SELECT MAX(period_end) FROM filed_returns) THEN
           RAISE EXCEPTION USING MESSAGE = '${IN_FILED_PERIOD}', DETAIL = 'entry ' || NEW.id, ERRCODE = 'integrity_constraint_violation';
         END IF;
         RETURN NEW;
       END $$`,
    'DROP TRIGGER IF EXISTS journal_entries_after_filed_returns ON journal_entries',
    `CREATE TRIGGER journal_entries_after_filed_returns BEFORE INSERT ON journal_entries
       FOR EACH ROW EXECUTE FUNCTION ledgerline_journal_entry_after_filed_returns()`,
  ]);
}

const FILED_SUBJECT = 'filed returns are';
const IN_FILED_PERIOD = 'journal entry dated in a period whose tax return was filed: book it in the open period';

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
