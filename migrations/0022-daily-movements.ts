import type { Kysely } from 'kysely';
import { TEXT, runStatements } from './postgres-rules.js';

/**
 * A daily movement per date, source, account and currency: the debits and credits of that day's lines,
 * exact (micro-units) and as rendered in cents, advanced by every append in its own unit of work
 * (store/advance-daily-movements.ts). A period's balances, the finance report, the console and reconcile's
 * booked balances add up these rows, one per day and account, instead of every line: a year of a million
 * lines is about 365 × accounts rows. Example: two entries of 2026-03-02 for smm-panel debiting
 * smm_services_expense 1.004 and 2.5 (rendered 1.00 and 2.50) → one row (2026-03-02, smm-panel,
 * smm_services_expense, USD, debit 3,504,000 micros, credit 0, debit 350 cents, credit 0).
 * The rows of an existing ledger are taken from its lines here: exact from journal_lines, cents from
 * journal_lines.cents (0015) and from rendered_lines (rounding lines, and every line booked before 0015).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, tableFromTheLines('TEXT', 'INTEGER', ' STRICT, WITHOUT ROWID'));
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, tableFromTheLines(TEXT, 'BIGINT', ''));
}

/** The same statements on both engines but for the column types and SQLite's table options. */
function tableFromTheLines(text: string, integer: 'INTEGER' | 'BIGINT', options: string): string[] {
  return [
    `CREATE TABLE daily_movements (
       date ${text} NOT NULL,
       source_id ${text} NOT NULL,
       account ${text} NOT NULL,
       currency ${text} NOT NULL,
       ${SUMS.map((column) => `${column} ${integer} NOT NULL`).join(',\n       ')},
       PRIMARY KEY (date, source_id, account, currency)
     )${options}`,
    FROM_THE_LINES,
  ];
}

const SUMS = ['debit_micros', 'credit_micros', 'debit_cents', 'credit_cents'] as const;

/** Debit and credit sums of a signed amount column, named `debit_${unit}` and `credit_${unit}`. */
const debitCredit = (amount: string, unit: 'micros' | 'cents') =>
  `SUM(CASE WHEN ${amount} > 0 THEN ${amount} ELSE 0 END) AS debit_${unit}, SUM(CASE WHEN ${amount} < 0 THEN -${amount} ELSE 0 END) AS credit_${unit}`;

/** Every line of the ledger, once, with its exact amount and its cents (null cents count as 0), then the rendered lines kept apart. */
const FROM_THE_LINES = `INSERT INTO daily_movements (date, source_id, account, currency, ${SUMS.join(', ')})
  SELECT date, source_id, account, currency, SUM(debit_micros), SUM(credit_micros), SUM(debit_cents), SUM(credit_cents)
    FROM (
      SELECT e.date, e.source_id, l.account, l.currency, ${debitCredit('l.amount_micros', 'micros')}, ${debitCredit('COALESCE(l.cents, 0)', 'cents')}
        FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
       GROUP BY e.date, e.source_id, l.account, l.currency
      UNION ALL
      SELECT e.date, e.source_id, r.account, r.currency, 0, 0, ${debitCredit('r.cents', 'cents')}
        FROM rendered_lines r JOIN journal_entries e ON e.id = r.entry_id
       GROUP BY e.date, e.source_id, r.account, r.currency
    ) AS sums
   GROUP BY date, source_id, account, currency`;

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
