import type { Kysely } from 'kysely';
import { TRANSIT_KINDS_INDEXED } from './0034-transit-indexes.js';
import { runStatements } from './postgres-rules.js';

/**
 * source_events_in_transit holds every column `transit` reads of a payout or a top-up (issue 72 item 5): its day
 * and id, the order they are read in, then its kind, source, currency and amount. 0034 made it of the day and id
 * alone, so each of a year's 100,000 payouts read through it was then looked up in the table for the rest: 150-175
 * ms of SQLite's CPU for the read, 95-110 with the columns in the index (100,000 payouts among 1,000,000 bank
 * lines, 2026-11-27, load 10-15). The same name, the same predicate (the query's own, word for word: both engines
 * use a partial index only then), more columns. Example: payout payelancer:pub:payout:000123 of 2026-05-04 →
 * ("2026-05-04", "payelancer:pub:payout:000123", "payout_wire", "payelancer", "EUR", 101230000).
 */
const STATEMENTS = [
  'DROP INDEX source_events_in_transit',
  `CREATE INDEX source_events_in_transit ON source_events (date, id, kind, source_id, currency, amount_micros)
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
