import type { Kysely } from 'kysely';
import { runStatements } from './postgres-rules.js';

/**
 * The lines whose text could name a payout or a top-up, found without reading the others (issue 56, item 2).
 *
 * An item's id holds colons (payelancer:pub:payout:000123), so a line can name one only if its reference or
 * description holds a colon. When no item of a reach has bank words for its source, `transit` reads only the
 * lines of an item's exact amount (bank_lines_by_amount, one seek per amount) and the lines of this index, in
 * the reach's currency and days. Before it, the amount index's whole range was read and each line's text tested
 * in the table: 55,000 lookups for 9,500 lines over 10,000 payouts and 100,000 bank lines. The predicate is the
 * query's own, word for word (LIKE with the literal pattern), as both engines use a partial index only then.
 * Example: "payout payelancer:pub:payout:000123" is in it; "SEPA CREDIT 123" and "CARD PAYMENT" are not.
 */
export const NAMING_PATTERN = `(reference LIKE '%:%' OR description LIKE '%:%')`;

const STATEMENTS = [`CREATE INDEX bank_lines_naming ON bank_lines (currency, booked_on) WHERE ${NAMING_PATTERN}`];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, STATEMENTS);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, STATEMENTS);
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
