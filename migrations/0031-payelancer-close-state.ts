import type { Kysely } from 'kysely';
import { runStatements } from './postgres-rules.js';

/**
 * The ad network's close is a staged kind's now: its counter is carried as the staged closer's `closeState`, not
 * under a key of its own. The value's shape is unchanged (role, lifetime figure, the close's date), so books synced
 * before go on counting from their last close. Example: {"role":"publisher","valueMicros":"120500000",
 * "date":"2026-03-30"} under `counter` moves to `closeState`, and the next close books its change from 120.50.
 */
const STATEMENTS = ["UPDATE source_state SET key = 'closeState' WHERE key = 'counter'"];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, STATEMENTS);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, STATEMENTS);
}
