import type { Kysely } from 'kysely';
import { TEXT, runStatements } from './postgres-rules.js';

/**
 * The calls each destination organisation answered per UTC day, kept so a post plans inside the vendor's daily
 * allowance (Xero: 5,000 a day per tenant) across runs and nights: the calls ledgerline counted, and the remaining
 * calls the vendor last reported (X-DayLimit-Remaining), which win over the count when sent. One row per destination,
 * organisation and day, added to as each post ends. Example: ('xero', '<tenant id>', '2026-03-05', 4_212, 788).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE call_budgets (
       destination TEXT NOT NULL CHECK (length(destination) > 0),
       organisation TEXT NOT NULL,
       day TEXT NOT NULL CHECK (length(day) = 10),
       calls_used INTEGER NOT NULL CHECK (calls_used >= 0),
       vendor_remaining INTEGER CHECK (vendor_remaining >= 0),
       updated_at TEXT NOT NULL,
       PRIMARY KEY (destination, organisation, day)
     ) STRICT`,
  ]);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE call_budgets (
       destination ${TEXT} NOT NULL CHECK (length(destination) > 0),
       organisation ${TEXT} NOT NULL,
       day ${TEXT} NOT NULL CHECK (length(day) = 10),
       calls_used BIGINT NOT NULL CHECK (calls_used >= 0),
       vendor_remaining BIGINT CHECK (vendor_remaining >= 0),
       updated_at ${TEXT} NOT NULL,
       PRIMARY KEY (destination, organisation, day)
     )`,
  ]);
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
