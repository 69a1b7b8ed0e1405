import { sql, type Kysely } from 'kysely';
import { runStatements, TEXT } from './postgres-rules.js';

/**
 * The exchange rate an entry in a foreign currency went out at, and where the
 * rate came from ("rates.csv 2024-02-15", "config destinations.rates.fixed.EUR"),
 * beside its delivery: `reconcile --with` converts the entry again at the very
 * same rate, and a person can see which rate the books received.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw('ALTER TABLE deliveries ADD COLUMN exchange_rate TEXT').execute(db);
  await sql.raw('ALTER TABLE deliveries ADD COLUMN rate_source TEXT').execute(db);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`ALTER TABLE deliveries ADD COLUMN exchange_rate ${TEXT}`, `ALTER TABLE deliveries ADD COLUMN rate_source ${TEXT}`]);
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
