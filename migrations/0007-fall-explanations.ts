import type { Kysely } from 'kysely';
import { appendOnly, IDENTITY, runStatements, TEXT } from './postgres-rules.js';

/**
 * Which late-learned order explained how much of which balance fall
 * (src/rules/panel/late-order-explanation.ts). A fall whose amount is covered
 * here is resolved by the orders, not by a person; a remainder stays open with
 * its amount. One row per panel_fall_explained event (its id is unique, so a
 * re-run stores nothing twice). Append-only, like the events it mirrors.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE fall_explanations (
       id INTEGER PRIMARY KEY AUTOINCREMENT,
       finding_id TEXT NOT NULL,
       source_id TEXT NOT NULL,
       order_id TEXT NOT NULL,
       amount_micros INTEGER NOT NULL,
       currency TEXT NOT NULL,
       date TEXT NOT NULL,
       event_id TEXT NOT NULL UNIQUE,
       run_id TEXT NOT NULL,
       created_at TEXT NOT NULL
     ) STRICT`,
    `CREATE INDEX fall_explanations_by_finding ON fall_explanations (finding_id, id)`,
    ...(['UPDATE', 'DELETE'] as const).map(
      (statement) =>
        `CREATE TRIGGER fall_explanations_no_${statement.toLowerCase()} BEFORE ${statement} ON fall_explanations
         BEGIN SELECT RAISE(ABORT, 'fall explanations are append-only: ${statement} refused'); END`,
    ),
  ]);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE fall_explanations (
       id ${IDENTITY},
       finding_id ${TEXT} NOT NULL,
       source_id ${TEXT} NOT NULL,
       order_id ${TEXT} NOT NULL,
       amount_micros BIGINT NOT NULL,
       currency ${TEXT} NOT NULL,
       date ${TEXT} NOT NULL,
       event_id ${TEXT} NOT NULL UNIQUE,
       run_id ${TEXT} NOT NULL,
       created_at ${TEXT} NOT NULL
     )`,
    `CREATE INDEX fall_explanations_by_finding ON fall_explanations (finding_id, id)`,
    ...appendOnly('fall_explanations', 'fall explanations are'),
  ]);
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
