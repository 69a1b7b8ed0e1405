import type { Kysely } from 'kysely';
import { runStatements } from './postgres-rules.js';
import { NAMING_PATTERN } from './0034-transit-indexes.js';

/**
 * The lines `transit` reads, found and read from an index alone (issue 72, item 5: a practice's year, 100,000
 * payouts and 1,000,000 bank lines). A narrowed reach reads the lines of its items' exact amounts and the lines
 * whose text could name an item (store/transit-items.ts reachQuery); each index entry found then cost a lookup of
 * its line in the table for the text and statement the judging and the report read: 95,000 lookups, ~70 ms of the
 * ~280 SQLite spent on the read.
 *
 * bank_lines_exact: bank_lines_by_amount's key (currency, amount, day) with the line's reference, description and
 * statement. bank_lines_by_amount stays: a query that reads only keys and amounts (the sqlite3 join the transit
 * bench measures against) keeps its narrower index. bank_lines_naming: 0034's index remade with the amount, the
 * text and the statement, its predicate the same word for word (the query's own, as a partial index asks).
 * A line's account and id are its primary key, which a SQLite index of a table WITHOUT ROWID holds; PostgreSQL
 * INCLUDEs them, as it does the rest, so either engine answers from the index. Example: ('EUR', 100000000,
 * '2026-03-03', 'payout payelancer:pub:payout:000123', 'PAYELANCER LTD', 'e3b0…') in both.
 */
const SQLITE = [
  `CREATE INDEX bank_lines_exact ON bank_lines
     (currency, amount_micros, booked_on, reference, description, statement_sha256)`,
  'DROP INDEX bank_lines_naming',
  `CREATE INDEX bank_lines_naming ON bank_lines
     (currency, booked_on, amount_micros, reference, description, statement_sha256) WHERE ${NAMING_PATTERN}`,
];

const POSTGRES = [
  `CREATE INDEX bank_lines_exact ON bank_lines (currency, amount_micros, booked_on)
     INCLUDE (reference, description, statement_sha256, account, line_id)`,
  'DROP INDEX bank_lines_naming',
  `CREATE INDEX bank_lines_naming ON bank_lines (currency, booked_on, amount_micros)
     INCLUDE (reference, description, statement_sha256, account, line_id) WHERE ${NAMING_PATTERN}`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, SQLITE);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, POSTGRES);
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
