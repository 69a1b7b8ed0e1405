import type { Kysely } from 'kysely';
import { IDENTITY, TEXT, appendOnly as appendOnlyPostgres, runStatements } from './postgres-rules.js';
import { sealKeptRows } from './seal-rules.js';
import { appendOnly } from './sqlite-rules.js';

/**
 * The seals of the tables beside the journal that carry a decision (issue 52, src/ledger/row-seals.ts): raw
 * replies, bank statements and lines, transit states, acknowledgements, adjusting entries' records and approvals.
 * Each row is sealed when it is written (its digest, and a link chaining every seal in the order written), so
 * `verify` names a row changed, deleted or added behind ledgerline's back. The rows already kept are sealed here,
 * table by table in key order, as if written so. Append-only, as what it proves.
 * Example: acknowledgement 17 (item f1, ack by maria) → seal (acknowledgements, ["17"], digest, link).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE row_seals (
       position INTEGER PRIMARY KEY AUTOINCREMENT,
       table_name TEXT NOT NULL,
       row_key TEXT NOT NULL,
       digest TEXT NOT NULL,
       link TEXT NOT NULL,
       UNIQUE (table_name, row_key)
     ) STRICT`,
    ...appendOnly('row_seals', SUBJECT),
  ]);
  await sealKeptRows(db, SEALED_AT_0027);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE row_seals (
       position ${IDENTITY},
       table_name ${TEXT} NOT NULL,
       row_key ${TEXT} NOT NULL,
       digest ${TEXT} NOT NULL,
       link ${TEXT} NOT NULL,
       UNIQUE (table_name, row_key)
     )`,
    ...appendOnlyPostgres('row_seals', SUBJECT),
  ]);
  await sealKeptRows(db, SEALED_AT_0027);
}

const SUBJECT = 'row seals are';
/** The tables sealed when seals began, frozen: a table sealed since is sealed by its own migration (0038). */
const SEALED_AT_0027 = [
  'raw_observations',
  'bank_statements',
  'bank_lines',
  'transit_states',
  'acknowledgements',
  'adjustments',
  'adjustment_approvals',
] as const;

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
