import type { Kysely } from 'kysely';
import { runStatements } from './postgres-rules.js';

/**
 * Debit and credit totals kept beside each running total, exact and in
 * cents, in place of the two covering indexes of 0005.
 *
 * Those indexes (account, currency, amount) served one read, the trial
 * balance through the latest entry, and every appended line paid for them:
 * a key inside the account's range, wherever its amount falls, on two
 * tables. Profiled on 100,000 two-line entries (bench/ledger-append.bench.mjs)
 * they were a third of the append's database work. The append already reads
 * and writes each (source, account, currency) running total once per unit; it
 * now advances these four sums in the same write, and the whole-ledger trial
 * balance adds up one row per source, account and currency instead of every line.
 *
 * The sums of an existing ledger are taken from its lines here. The rounding
 * account's cents have no exact line; they get a row with an exact total of 0,
 * as cent rendering already assumes (rules/journal/cent-rendering.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, sumsFromTheLines('INTEGER'));
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, sumsFromTheLines('BIGINT'));
}

/** The same statements on both engines but for the sums' integer type. */
function sumsFromTheLines(integer: 'INTEGER' | 'BIGINT'): string[] {
  return [
    ...SUM_COLUMNS.map((column) => `ALTER TABLE running_totals ADD COLUMN ${column} ${integer} NOT NULL DEFAULT 0`),
    ...BACKFILL,
    `DROP INDEX journal_lines_by_account_amount`,
    `DROP INDEX rendered_lines_by_account_cents`,
  ];
}

const SUM_COLUMNS = ['debit_micros', 'credit_micros', 'debit_cents', 'credit_cents'] as const;

/** Each total's sums from the lines; a total the ledger lacks is added with the lines' net as its exact total. */
const BACKFILL = [
  `INSERT INTO running_totals (source_id, account, currency, exact_micros, debit_micros, credit_micros)
     SELECT e.source_id, l.account, l.currency, SUM(l.amount_micros),
            SUM(CASE WHEN l.amount_micros > 0 THEN l.amount_micros ELSE 0 END),
            SUM(CASE WHEN l.amount_micros < 0 THEN -l.amount_micros ELSE 0 END)
       FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
      WHERE true
      GROUP BY e.source_id, l.account, l.currency
   ON CONFLICT (source_id, account, currency) DO UPDATE SET debit_micros = excluded.debit_micros, credit_micros = excluded.credit_micros`,
  `INSERT INTO running_totals (source_id, account, currency, exact_micros, debit_cents, credit_cents)
     SELECT e.source_id, r.account, r.currency, 0,
            SUM(CASE WHEN r.cents > 0 THEN r.cents ELSE 0 END),
            SUM(CASE WHEN r.cents < 0 THEN -r.cents ELSE 0 END)
       FROM rendered_lines r JOIN journal_entries e ON e.id = r.entry_id
      WHERE true
      GROUP BY e.source_id, r.account, r.currency
   ON CONFLICT (source_id, account, currency) DO UPDATE SET debit_cents = excluded.debit_cents, credit_cents = excluded.credit_cents`,
];

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
