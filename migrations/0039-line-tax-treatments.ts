import type { Kysely } from 'kysely';
import { TEXT, appendOnly as appendOnlyPostgres, runStatements } from './postgres-rules.js';
import { appendOnly } from './sqlite-rules.js';

/**
 * Each journal line keeps how it was taxed (issue 82): one row per line of an entry booked with the chart's tax,
 * keyed as the line (entry_id, line_no): the flow whose rule coded it, the flow a reversal took its rule from, the
 * ledger's code, its display name, the rate in percent, the side (sales, purchases), reverse charge or not (0/1) and
 * the line's signed micro-units the tax was worked on. A line no rule coded (a VAT line, a balance sheet line) has a
 * row of nulls, so a reader never codes it again from a chart changed since. Written with the lines, before their
 * entry, and like them never added to, changed or deleted after: a trigger refuses a row for an entry already
 * booked. Example: the panel's 0.90 of SMM services reverse-charged on 2026-03-30 →
 * (je:smm-panel:2026-03-30, 1, order_charge, NULL, REVERSECHARGES, NULL, 20, purchases, 1, 900000).
 * Entries booked before this migration have no rows yet: their ids wait in journal_line_taxes_pending until the first
 * command that opens the books with the chart gives each its treatment from the rules in force on its date, once
 * (src/store/line-tax-backfill.ts, the one path past the trigger: a pending entry's rows, its id deleted with them).
 * Until then readers code them by the chart's dated rules, as before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE journal_line_taxes (
       entry_id TEXT NOT NULL,
       line_no INTEGER NOT NULL,
       flow TEXT,
       reverses TEXT,
       code TEXT,
       name TEXT,
       rate TEXT,
       side TEXT CHECK (side IN ('sales', 'purchases')),
       reverse_charge INTEGER CHECK (reverse_charge IN (0, 1)),
       base_micros INTEGER,
       PRIMARY KEY (entry_id, line_no)
     ) STRICT, WITHOUT ROWID`,
    `CREATE TABLE journal_line_taxes_pending (entry_id TEXT PRIMARY KEY) STRICT, WITHOUT ROWID`,
    PENDING,
    `CREATE TRIGGER journal_line_taxes_sealed BEFORE INSERT ON journal_line_taxes
       WHEN EXISTS (SELECT 1 FROM journal_entries WHERE id = NEW.entry_id)
         AND NOT EXISTS (SELECT 1 FROM journal_line_taxes_pending WHERE entry_id = NEW.entry_id)
       BEGIN SELECT RAISE(ABORT, '${SEALED}'); END`,
    ...appendOnly('journal_line_taxes', SUBJECT),
  ]);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE journal_line_taxes (
       entry_id ${TEXT} NOT NULL,
       line_no BIGINT NOT NULL,
       flow ${TEXT},
       reverses ${TEXT},
       code ${TEXT},
       name ${TEXT},
       rate ${TEXT},
       side ${TEXT} CHECK (side IN ('sales', 'purchases')),
       reverse_charge BIGINT CHECK (reverse_charge IN (0, 1)),
       base_micros BIGINT,
       PRIMARY KEY (entry_id, line_no)
     )`,
    `CREATE TABLE journal_line_taxes_pending (entry_id ${TEXT} PRIMARY KEY)`,
    PENDING,
    `CREATE OR REPLACE FUNCTION ledgerline_journal_line_taxes_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM journal_entries WHERE id = NEW.entry_id)
            AND NOT EXISTS (SELECT 1 FROM journal_line_taxes_pending WHERE entry_id = NEW.entry_id) THEN
           RAISE EXCEPTION USING MESSAGE = '${SEALED}', DETAIL = 'entry ' || NEW.entry_id, ERRCODE = 'integrity_constraint_violation';
         END IF;
         RETURN NEW;
       END $$`,
    `CREATE TRIGGER journal_line_taxes_sealed BEFORE INSERT ON journal_line_taxes
       FOR EACH ROW EXECUTE FUNCTION ledgerline_journal_line_taxes_sealed()`,
    ...appendOnlyPostgres('journal_line_taxes', SUBJECT),
  ]);
}

/** The entries booked before this migration, which wait for their treatment (see above). */
const PENDING = 'INSERT INTO journal_line_taxes_pending (entry_id) SELECT id FROM journal_entries';
const SUBJECT = 'journal line tax treatments are';
const SEALED = 'journal entry already committed: tax treatments of its lines cannot be added';

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
