import { sql, type Generated, type RawBuilder } from 'kysely';
import {
  rowDigest,
  rowKey,
  SEAL_GENESIS,
  SEALED_TABLES,
  sealLink,
  type SealedTableName,
  type SealHead,
} from '../ledger/index.js';
import { insertRows, type LedgerStore, type LedgerTx } from './ledger-store.js';
import { rowsOfIds } from './id-lists.js';
import { boundTo, onSqlite, queryBuilder } from './query-builder.js';

/** The seals of the decision tables (migration 0027, ledger/row-seals.ts): written with their rows, read by verify. */

// The seals' verbs as the store's index names them, one group (`seals.head(tx)`, `seals.rows(tx, table, where)`).
export { appendSeals as append, appendStagedSeals as appendStaged, sealHead as head, sealRows as rows };
export { sealQueries as queries, rowsQuery };

/** The advisory lock ("LLSD", "SEAL") that keeps one PostgreSQL unit at a time on the seals, from reading the last link to its commit. */
const SEAL_LOCK = [0x4c4c5344, 0x5345414c] as const;
const INSERT_SEAL = insertRows('row_seals', { table_name: 'text', row_key: 'text', digest: 'text', link: 'text' });

/** A seal (migration 0027): its position in the order seals were written, the row it seals, the row's digest and the link. */
interface RowSealTable {
  position: Generated<bigint>;
  table_name: string;
  row_key: string;
  digest: string;
  link: string;
}

export type SealTables = { row_seals: RowSealTable };

/** The store's kysely handle with the seals' table: this module's alone. */
const sealQueries = (store: LedgerStore) => queryBuilder(store).withTables<SealTables>();

/** A condition on a sealed table's rows: a column equal to a value, or to one of several. */
type SealCondition = Readonly<Record<string, string | bigint | readonly (string | bigint)[]>>;

/**
 * Seals, in the caller's unit of work, the rows of `table` that meet `where` and have no seal yet, in key
 * order: the rows the caller has just written. Example: sealRows(store, 'acknowledgements', { id: [17n] }).
 * `fresh`: the caller knows no row meeting `where` existed before its unit (a statement's lines, when the
 * statement's own row was new), so none has a seal to look up: a 100,000-line import skips 200 look-ups.
 */
async function sealRows(
  store: LedgerStore,
  table: SealedTableName,
  where: SealCondition,
  options: { fresh?: boolean } = {},
): Promise<void> {
  await store.unitOfWork(async (tx) => {
    await lockSeals(tx);
    const rows = await tx.allArrays(boundTo(tx, rowsQuery(table, where)));
    if (rows.length === 0) return;
    const width = sealedTable(table).key.length;
    const keys = rows.map((row) => rowKey(row.slice(0, width)));
    const sealed = options.fresh === true ? new Set<string>() : await sealedKeys(tx, table, keys);
    const digested: KeyedDigest[] = [];
    for (const [index, row] of rows.entries()) {
      const key = keys[index]!;
      if (!sealed.has(key)) digested.push({ key, digest: rowDigest(table, key, row.slice(width)) });
    }
    await appendSeals(tx, table, digested);
  });
}

/** A row's key and digest (ledger/row-seals.ts rowKey and rowDigest). */
interface KeyedDigest {
  key: string;
  digest: string;
}

/**
 * Seals rows whose digests the caller worked out as it wrote them, in the order given (the rows' key order, as
 * sealRows seals them), each linked after the last seal. A statement's import digests each line while it is in
 * hand, so 100,000 freshly written lines are not read back whole to be digested.
 */
async function appendSeals(store: LedgerStore, table: SealedTableName, rows: readonly KeyedDigest[]) {
  if (rows.length === 0) return;
  await store.unitOfWork(async (tx) => {
    let link = (await lockedSealHead(tx)).link;
    const seals: string[][] = [];
    for (const { key, digest } of rows) {
      link = sealLink(link, digest);
      seals.push([table, key, digest, link]);
    }
    await tx.runEach(INSERT_SEAL, seals);
  });
}

/** The seals' head, read under the seals' lock, which a PostgreSQL unit then holds to its commit (SQLite's writer is one already). */
async function lockedSealHead(tx: LedgerTx): Promise<SealHead> {
  await lockSeals(tx);
  return sealHead(tx);
}

async function lockSeals(tx: LedgerTx): Promise<void> {
  if (!onSqlite(tx)) await tx.run(boundTo(tx, sql`SELECT pg_advisory_xact_lock(${SEAL_LOCK[0]}, ${SEAL_LOCK[1]})`));
}

/**
 * Seals rows whose key, digest and link the caller staged as it wrote them, linked from `head` (sealHead, read
 * in the same unit before the first), copied from the `staging` table (columns seal_key, digest, link, ordinal)
 * in its `ordinal` order by one statement: 100,000 seals are neither read back into JavaScript nor bound one by
 * one. The seals' lock is taken only now, so a long import keeps no other unit from sealing meanwhile; when one
 * did (the head is no longer `head`), the staged links continue the wrong seal: nothing is written (false).
 */
async function appendStagedSeals(
  tx: LedgerTx,
  table: SealedTableName,
  staging: string,
  head: SealHead,
): Promise<boolean> {
  const now = await lockedSealHead(tx);
  if (now.position !== head.position || now.link !== head.link) return false;
  await tx.run(
    boundTo(
      tx,
      sql`INSERT INTO row_seals (table_name, row_key, digest, link) SELECT ${table}, seal_key, digest, link FROM ${sql.table(staging)} ORDER BY ordinal`,
    ),
  );
  return true;
}

/** The rows of `table` (key columns, then sealed columns) that meet `where`, in key order; every row when `where` is empty. */
function rowsQuery(table: SealedTableName, where: SealCondition = {}): RawBuilder<unknown> {
  const { selected, keyOrder } = sealedTable(table);
  const conditions = Object.entries(where).map(([column, value]) =>
    Array.isArray(value)
      ? sql`${sql.ref(column)} IN (${sql.join(value.map((one) => sql`${one}`))})`
      : sql`${sql.ref(column)} = ${value}`,
  );
  const filter = conditions.length === 0 ? sql`` : sql`WHERE ${sql.join(conditions, sql` AND `)}`;
  return sql`SELECT ${selected} FROM ${sql.table(table)} ${filter} ORDER BY ${keyOrder}`;
}

async function sealedKeys(store: LedgerStore, table: SealedTableName, keys: readonly string[]): Promise<Set<string>> {
  const sealed = new Set<string>();
  const rows = rowsOfIds(store, keys, (keyList) =>
    sealQueries(store)
      .selectFrom('row_seals')
      .select('row_key')
      .where('table_name', '=', table)
      .where('row_key', 'in', keyList),
  );
  for await (const row of rows) sealed.add(row.row_key);
  return sealed;
}

/** The last seal's position and link (0 and SEAL_GENESIS when there is none). */
async function sealHead(store: LedgerStore): Promise<SealHead> {
  const last = await store.first(
    sealQueries(store).selectFrom('row_seals').select(['position', 'link']).orderBy('position', 'desc').limit(1),
  );
  return last === undefined
    ? { position: 0, link: SEAL_GENESIS }
    : { position: Number(last.position), link: last.link };
}

/** Each sealed table, with its SELECT list (key columns, then sealed columns) and its key order written once. */
const SEALED = new Map(
  SEALED_TABLES.map((table) => [
    table.name,
    {
      ...table,
      selected: sql.join([...table.key, ...table.columns].map((column) => sql.ref(column))),
      keyOrder: sql.join(table.key.map((column) => sql.ref(column))),
    },
  ]),
);

function sealedTable(name: SealedTableName) {
  return SEALED.get(name)!;
}
