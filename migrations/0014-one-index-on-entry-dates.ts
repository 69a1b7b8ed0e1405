import type { Kysely } from 'kysely';
import { runStatements } from './postgres-rules.js';

/**
 * One index on the entries' dates instead of two. journal_entries_by_date
 * (date, seq) came first; journal_entries_by_identity (date, source_id, id,
 * migration 0006) serves book order and answers every read by date the first
 * did (a window of dates, the latest date), and no read orders by seq, the
 * append order. Every appended entry paid for both: dropping the first took
 * 0.1 s off 100,000 appended entries (bench/ledger-append.bench.mjs).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`DROP INDEX journal_entries_by_date`]);
}

export const upPostgres = up;

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
