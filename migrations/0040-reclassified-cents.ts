import type { Kysely } from 'kysely';
import { runStatements } from './postgres-rules.js';

/**
 * Whether an entry is a reclassification whose cents were rendered in pairs (issue 82; rules/journal, cent-rendering:
 * each line moving an amount renders minus the cents of the line it moved it from, so a destination mapping both
 * accounts to one account and code gets lines that net to nothing). 1 only for an entry booked so (a replay's
 * correction); every entry booked before keeps 0 and renders, and is verified, as it was booked.
 * Example: je:smm-panel:2026-04-01:replay:1 → 1, Cr smm_order_costs 0.05 and Dr smm_services_expense 0.05.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    'ALTER TABLE journal_entries ADD COLUMN reclassification INTEGER NOT NULL DEFAULT 0 CHECK (reclassification IN (0, 1))',
  ]);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    'ALTER TABLE journal_entries ADD COLUMN reclassification BIGINT NOT NULL DEFAULT 0 CHECK (reclassification IN (0, 1))',
  ]);
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
