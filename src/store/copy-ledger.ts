import { sql, type RawBuilder } from 'kysely';
import { describePostgresUrl, isPostgresUrl } from '../config/index.js';
import { LedgerFileError, LedgerSealedError, UsageError } from '../errors.js';
import { adoptLedgerIdentity, readLedgerIdentity } from './ledger-identity.js';
import { LedgerStore } from './ledger-opener.js';
import type { LedgerTx } from './ledger-store.js';
import { SqliteLedgerStore } from './sqlite-ledger-store.js';
import { LEDGER_TABLES, type TableCopy } from './ledger-copy-tables.js';
import { boundTo } from './query-builder.js';
import { ledgerTableCounts } from './ledger-copy-proof.js';

/** Rows per INSERT: one round trip carries this many (PostgreSQL takes at most 65,535 values a statement). */
const ROWS_PER_INSERT = 500;
/** A batch is also sent once its text reaches this many characters: raw replies can be megabytes each. */
const CHARACTERS_PER_INSERT = 4_000_000;

export interface LedgerCopy<Proof> {
  /** What `prove` found, read inside the copy's transaction. */
  proof: Proof;
  /** False when `prove` found the copy unequal: it was rolled back and nothing of it kept. */
  kept: boolean;
}

/**
 * Copies the SQLite ledger at `from` into the empty PostgreSQL database at `to`, in one transaction. The file is opened
 * read-only and read in one snapshot, so nothing is written to it and a sync committing meanwhile is either wholly in
 * the copy or not at all. A database whose ledger tables hold any row is refused before anything is written to it (not
 * even the migrations); otherwise it is migrated first, then every table is streamed across in batches, with the
 * database's own rules (the balance check, the append-only triggers) on. `prove` reads both sides inside that
 * transaction, after the deferred checks have run: when it says the copy is unequal the transaction is rolled back.
 */
export async function copyLedgerToPostgres<Proof>(
  from: string,
  to: string,
  prove: (source: LedgerStore, target: LedgerStore) => Promise<{ proof: Proof; equal: boolean }>,
): Promise<LedgerCopy<Proof>> {
  if (isPostgresUrl(from))
    throw new UsageError(
      `migrate --to copies a SQLite ledger, and the configured ledger ${describePostgresUrl(from)} is already in PostgreSQL`,
    );
  if (!isPostgresUrl(to) || !URL.canParse(to))
    throw new UsageError(
      '--to must be a postgres://user@host:port/database URL (the password through PGPASSWORD or percent-encoded in the URL)',
    );
  const source = await SqliteLedgerStore.open(from, { readOnly: true });
  try {
    await refuseHeldDatabase(to);
    const identity = await readLedgerIdentity(source);
    if (identity.seal) throw new LedgerSealedError(from, identity.seal.movedTo, identity.seal.movedAt);
    const target = await LedgerStore.openAt(to);
    try {
      let proven: { proof: Proof; equal: boolean } | undefined;
      try {
        await target.unitOfWork((targetTx) =>
          source.unitOfWork(async (sourceTx) => {
            await lockEmptyLedger(targetTx);
            for (const table of LEDGER_TABLES) await copyTable(sourceTx, targetTx, table);
            await moveIdentities(targetTx);
            await adoptLedgerIdentity(targetTx, identity);
            // The balance of every entry is checked at commit; checked now, the proof reads books the database accepted.
            await targetTx.run(boundTo(targetTx, sql`SET CONSTRAINTS ALL IMMEDIATE`));
            proven = await prove(sourceTx, targetTx);
            if (!proven.equal) throw new CopyUnequal();
          }),
        );
      } catch (error) {
        if (error instanceof CopyUnequal && proven !== undefined) return { proof: proven.proof, kept: false };
        throw error;
      }
      return { proof: proven!.proof, kept: true };
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

/** Rolls the copy back when its proof fails; never leaves copyLedgerToPostgres. */
class CopyUnequal extends Error {}

/**
 * Refuses a database that already holds a ledger, naming it without its password, before the migrations
 * touch it. Its tables are looked up in the schema the connection uses: another schema's tables are not ours.
 */
async function refuseHeldDatabase(url: string): Promise<void> {
  const { openPostgresDatabase } = await import('./postgres/postgres-database.js');
  const db = await openPostgresDatabase(url, { maxConnections: 1 });
  try {
    const names = LEDGER_TABLES.map((table) => table.name);
    const existing = await sql<{
      name: string;
    }>`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname = ANY(${names})`.execute(db);
    const held: string[] = [];
    for (const { name } of existing.rows) {
      const row = await sql<{ held: boolean }>`SELECT EXISTS (SELECT 1 FROM ${sql.table(name)}) AS held`.execute(db);
      if (row.rows[0]?.held === true) held.push(name);
    }
    refuseIfHeld(describePostgresUrl(url), held);
  } finally {
    await db.destroy();
  }
}

/** Locks the ledger tables against every other writer until the copy commits, and checks again that they are empty. */
async function lockEmptyLedger(target: LedgerTx): Promise<void> {
  await target.run(
    boundTo(target, sql`LOCK TABLE ${sql.join(LEDGER_TABLES.map((table) => sql.table(table.name)))} IN EXCLUSIVE MODE`),
  );
  refuseIfHeld(
    target.path,
    (await ledgerTableCounts(target)).filter((count) => count.rows > 0n).map((count) => count.table),
  );
}

function refuseIfHeld(database: string, tablesWithRows: readonly string[]): void {
  if (tablesWithRows.length === 0) return;
  throw new LedgerFileError(
    `the PostgreSQL database ${database} already holds a ledger (rows in ${tablesWithRows.join(', ')}); migrate --to copies only into an empty database, and nothing was changed in it`,
  );
}

/**
 * Streams one table of a SQLite ledger across, its columns as the file's schema has them: rows read one at a time,
 * sent ROWS_PER_INSERT (or CHARACTERS_PER_INSERT) at a time, their values bound.
 */
export async function copyTable(source: LedgerStore, target: LedgerTx, table: TableCopy): Promise<void> {
  const columns = await sqliteColumns(source, table.name);
  let batch: RawBuilder<unknown>[] = [];
  let characters = 0;
  const send = async (): Promise<void> => {
    await target.run(boundTo(target, insertStatement(table, columns, batch)));
    batch = [];
    characters = 0;
  };
  const read = sql`SELECT ${sql.join(columns.map((column) => sql.ref(column)))} FROM ${sql.table(table.name)}`;
  for await (const values of source.iterateArrays(boundTo(source, read))) {
    for (const value of values) if (typeof value === 'string') characters += value.length;
    batch.push(sql`(${sql.join(values)})`);
    if (batch.length === ROWS_PER_INSERT || characters >= CHARACTERS_PER_INSERT) await send();
  }
  if (batch.length > 0) await send();
}

/** A table's columns in the SQLite file, in its schema's order. */
async function sqliteColumns(source: LedgerStore, table: string): Promise<string[]> {
  const rows = await source.all(
    boundTo(source, sql<{ name: string }>`SELECT name FROM pragma_table_info(${table}) ORDER BY cid`),
  );
  return rows.map((row) => row.name);
}

function insertStatement(
  table: TableCopy,
  columns: readonly string[],
  rows: readonly RawBuilder<unknown>[],
): RawBuilder<unknown> {
  const overriding = table.identity === undefined ? sql`` : sql`OVERRIDING SYSTEM VALUE`;
  return sql`INSERT INTO ${sql.table(table.name)} (${sql.join(columns.map((column) => sql.ref(column)))}) ${overriding}
    VALUES ${sql.join(rows)}`;
}

/** Each identity's sequence set to its table's highest copied value, so the next row numbered by the database follows it. */
export async function moveIdentities(target: LedgerTx): Promise<void> {
  for (const { name, identity } of LEDGER_TABLES) {
    if (identity === undefined) continue;
    await target.run(
      boundTo(
        target,
        sql`SELECT setval(pg_get_serial_sequence(${name}, ${identity}), highest) FROM (SELECT MAX(${sql.ref(identity)}) AS highest FROM ${sql.table(name)}) copied WHERE highest IS NOT NULL`,
      ),
    );
  }
}
