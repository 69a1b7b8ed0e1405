import type { Kysely } from 'kysely';
import { IDENTITY, TEXT, appendOnly as appendOnlyPostgres, runStatements } from './postgres-rules.js';
import { appendOnly } from './sqlite-rules.js';

/**
 * The rest of an item's evidence, and the late alerts already sent. transit_states gains document_id: the
 * bank-side document (a Xero BankTransfer, a QuickBooks Transfer) whose reconciled flag made the item matched,
 * beside the bank line and statement hash 0019 kept. transit_alerts: one row per item and state the night
 * alerted, so a payout late since 04-14 is alerted on the night of 04-22 and not on the nights after.
 * Example: payout P late on 04-22 → (P, late, 2026-04-22, …); the 04-23 night finds the row and sends nothing
 * for P. Both append-only; existing rows keep a null document.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `ALTER TABLE transit_states ADD COLUMN document_id TEXT`,
    `CREATE TABLE transit_alerts (
       id INTEGER PRIMARY KEY AUTOINCREMENT,
       item_id TEXT NOT NULL,
       state TEXT NOT NULL,
       as_of TEXT NOT NULL,
       alerted_at TEXT NOT NULL
     ) STRICT`,
    `CREATE UNIQUE INDEX transit_alerts_once ON transit_alerts (item_id, state)`,
    ...appendOnly('transit_alerts', 'transit alerts are'),
  ]);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `ALTER TABLE transit_states ADD COLUMN document_id ${TEXT}`,
    `CREATE TABLE transit_alerts (
       id ${IDENTITY},
       item_id ${TEXT} NOT NULL,
       state ${TEXT} NOT NULL,
       as_of ${TEXT} NOT NULL,
       alerted_at ${TEXT} NOT NULL
     )`,
    `CREATE UNIQUE INDEX transit_alerts_once ON transit_alerts (item_id, state)`,
    ...appendOnlyPostgres('transit_alerts', 'transit alerts are'),
  ]);
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
