import { sql, type Kysely } from 'kysely';
import { rowDigest, rowKey, SEAL_GENESIS, SEALED_TABLES, sealLink } from '../src/ledger/row-seals.js';
import { IDENTITY, TEXT, appendOnly as appendOnlyPostgres, runStatements } from './postgres-rules.js';
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
  await sealKeptRows(db);
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
  await sealKeptRows(db);
}

const SUBJECT = 'row seals are';
const SEALS_PER_INSERT = 500;

/** Seals every row already kept, table by table, each in key order. */
async function sealKeptRows(db: Kysely<unknown>): Promise<void> {
  let link = SEAL_GENESIS;
  for (const table of SEALED_TABLES) {
    const columns = [...table.key, ...table.columns];
    const { rows } = await sql<Record<string, unknown>>`SELECT ${sql.join(columns.map((column) => sql.ref(column)))} FROM ${sql.table(table.name)} ORDER BY ${sql.join(table.key.map((column) => sql.ref(column)))}`.execute(db);
    const seals: [string, string, string, string][] = [];
    for (const row of rows) {
      const key = rowKey(table.key.map((column) => row[column]));
      const digest = rowDigest(table.name, key, table.columns.map((column) => row[column]));
      link = sealLink(link, digest);
      seals.push([table.name, key, digest, link]);
    }
    for (let start = 0; start < seals.length; start += SEALS_PER_INSERT) {
      const values = seals.slice(start, start + SEALS_PER_INSERT).map((seal) => sql`(${sql.join(seal)})`);
      await sql`INSERT INTO row_seals (table_name, row_key, digest, link) VALUES ${sql.join(values)}`.execute(db);
    }
  }
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
