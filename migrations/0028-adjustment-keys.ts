import type { Kysely } from 'kysely';
import { TEXT, appendOnly as appendOnlyPostgres, runStatements } from './postgres-rules.js';
import { appendOnly } from './sqlite-rules.js';

/**
 * The idempotency key of each adjusting entry (`adjust --id`, else a key made of its content and date), beside the
 * SHA-256 of the request it was booked for: a rerun after an unknown outcome (a killed process, a lost reply) finds
 * its key and books nothing more. Append-only, one key per entry and one entry per key.
 * Example: key "id:ticket-881" → je:adjustment:2026-04-02:3, request sha256 5e…; key "content:9a…" for one without --id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE adjustment_keys (
       key TEXT PRIMARY KEY CHECK (length(key) > 0),
       entry_id TEXT NOT NULL UNIQUE REFERENCES adjustments (entry_id),
       request_sha256 TEXT NOT NULL
     ) STRICT`,
    ...appendOnly('adjustment_keys', SUBJECT),
  ]);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE adjustment_keys (
       key ${TEXT} PRIMARY KEY CHECK (length(key) > 0),
       entry_id ${TEXT} NOT NULL UNIQUE REFERENCES adjustments (entry_id),
       request_sha256 ${TEXT} NOT NULL
     )`,
    ...appendOnlyPostgres('adjustment_keys', SUBJECT),
  ]);
}

const SUBJECT = 'the keys of adjusting entries are';

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
