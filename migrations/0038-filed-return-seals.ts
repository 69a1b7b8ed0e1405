import type { Kysely } from 'kysely';
import { sealKeptRows } from './seal-rules.js';

/**
 * Filed tax returns are sealed as the other decision tables are (src/ledger/row-seals.ts): a filing deleted behind
 * ledgerline's back would unlock its period, one edited would change what was filed, and `verify` names either.
 * The filings kept before this migration are sealed here, in period order, after the last seal. No table changes.
 * Example: 2026-Q1 filed on a ledger with 212 seals → seal 213 (filed_returns, ["2026-Q1"], digest, link).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sealKeptRows(db, ['filed_returns']);
}

export const upPostgres = up;

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
