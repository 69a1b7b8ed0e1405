import { sql, type Kysely } from 'kysely';
import {
  rowDigest,
  rowKey,
  SEAL_GENESIS,
  SEALED_TABLES,
  sealLink,
  type SealedTableName,
} from '../src/ledger/row-seals.js';

const SEALS_PER_INSERT = 500;

/**
 * Seals every row already kept in the tables named, table by table in that order, each in key order, linked
 * after the last seal kept (the genesis on a ledger with none), as if each row had been sealed when written.
 * A migration names its own tables: the live list (SEALED_TABLES) grows, and on a new ledger a table sealed by a
 * later migration does not exist yet when an earlier one runs. Example: 0038 seals 2026-Q1's filing after seal 212.
 */
export async function sealKeptRows(db: Kysely<unknown>, names: readonly SealedTableName[]): Promise<void> {
  const { rows: last } = await sql<{
    link: string;
  }>`SELECT link FROM row_seals ORDER BY position DESC LIMIT 1`.execute(db);
  let link = last[0]?.link ?? SEAL_GENESIS;
  for (const name of names) {
    const table = SEALED_TABLES.find((sealed) => sealed.name === name)!;
    const columns = [...table.key, ...table.columns];
    const { rows } = await sql<
      Record<string, unknown>
    >`SELECT ${sql.join(columns.map((column) => sql.ref(column)))} FROM ${sql.table(table.name)} ORDER BY ${sql.join(table.key.map((column) => sql.ref(column)))}`.execute(
      db,
    );
    const seals: [string, string, string, string][] = [];
    for (const row of rows) {
      const key = rowKey(table.key.map((column) => row[column]));
      const digest = rowDigest(
        table.name,
        key,
        table.columns.map((column) => row[column]),
      );
      link = sealLink(link, digest);
      seals.push([table.name, key, digest, link]);
    }
    for (let start = 0; start < seals.length; start += SEALS_PER_INSERT) {
      const values = seals.slice(start, start + SEALS_PER_INSERT).map((seal) => sql`(${sql.join(seal)})`);
      await sql`INSERT INTO row_seals (table_name, row_key, digest, link) VALUES ${sql.join(values)}`.execute(db);
    }
  }
}
