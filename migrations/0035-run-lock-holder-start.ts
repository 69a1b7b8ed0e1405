import type { Kysely } from 'kysely';
import { TEXT, runStatements } from './postgres-rules.js';

/**
 * When the run lock's holder started, as its host's kernel counts it (/proc/PID/stat field 22, clock ticks since
 * boot), recorded with its pid (issue 69, item 9). A pid alone cannot tell a live holder from a killed one whose
 * pid the kernel gave to a later process; with this, a holder is alive only if its pid runs, is not a zombie, and
 * started at this tick. Example: ('ledger', 'run:…', 8123, '48210', …); a pid now started at 51877 is not the holder.
 * Null where it could not be read (a host without /proc, and every holder recorded before this): then the pid alone decides.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, ['ALTER TABLE run_lock ADD COLUMN pid_started TEXT']);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`ALTER TABLE run_lock ADD COLUMN pid_started ${TEXT}`]);
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
