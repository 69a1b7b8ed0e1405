import type { Kysely } from 'kysely';
import { runStatements } from './postgres-rules.js';

/**
 * What `transit` reads, found without reading the rest (issue 56, item 2).
 *
 * bank_lines_naming: the lines whose text could name a payout or a top-up. An item's id holds colons
 * (payelancer:pub:payout:000123), so a line can name one only if its reference or description holds a colon. When
 * no item of a reach has bank words for its source, `transit` reads only the lines of an item's exact amount
 * (bank_lines_by_amount, one seek per amount) and the lines of this index in the reach's currency and days. Before
 * it, the amount index's whole range was read and each line's text tested in the table: 55,000 lookups for 9,500
 * lines over 10,000 payouts and 100,000 bank lines. Example: "payout payelancer:pub:payout:000123" is in it; "SEPA
 * CREDIT 123" and "CARD PAYMENT" are not.
 *
 * source_events_in_transit: the payouts and top-ups in day and id order, the order `transit` reads them in, among
 * however many orders and other events the ledger holds (a ledger of 300,000 order events read them all to find
 * 10,000 payouts: 30-35 ms more per transit). The kinds are TRANSIT_EVENT_KINDS' (rules/vocabulary.ts) as they are
 * now; a kind added there is read without the index until a migration remakes it (a test compares the two).
 *
 * Each predicate is the query's own, word for word, with literals: both engines use a partial index only then.
 */
export const NAMING_PATTERN = `(reference LIKE '%:%' OR description LIKE '%:%')`;
export const TRANSIT_KINDS_INDEXED = ['payout_paypal', 'payout_razorpay', 'payout_wire', 'panel_topup'] as const;

const STATEMENTS = [
  `CREATE INDEX bank_lines_naming ON bank_lines (currency, booked_on) WHERE ${NAMING_PATTERN}`,
  `CREATE INDEX source_events_in_transit ON source_events (date, id)
     WHERE kind IN (${TRANSIT_KINDS_INDEXED.map((kind) => `'${kind}'`).join(', ')})`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, STATEMENTS);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, STATEMENTS);
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
