import type { Compilable } from 'kysely';
import { LedgerStore } from '../../src/store/index.js';
import { locationOf, type Books } from './books.js';

/**
 * The ledger's tables as a test sees them beneath the ports: to read a row no port hands out, to plant a row a
 * scenario starts from, or to tamper with one (a changed amount the chain must catch). The one file outside
 * test/store/ that reaches into src/store, and only through its index (test/architecture/tests-against-ports.test.ts);
 * everything else a test asks of the books goes through books.ts. It opens its own connection, so the CLI or the
 * books are not running on the ledger at the same moment, or have committed what this reads.
 */
export type LedgerTables = Awaited<ReturnType<typeof LedgerStore.openTables>>;

/** The typed query builder over the ledger's tables. */
export type LedgerDb = LedgerTables['db'];

/** A ledger's place (a SQLite file or a postgres:// URL), or books a test opened, whose ledger is meant. */
export type LedgerAt = string | Books;

/** Opens the ledger `at` (a SQLite file, a postgres:// URL, or that of open books), migrated, for its tables. */
export function openLedgerTables(at: LedgerAt): Promise<LedgerTables> {
  return LedgerStore.openTables(typeof at === 'string' ? at : locationOf(at));
}

/** Runs `work` over the tables of the ledger `at`, and closes them whatever happens. */
export async function withLedgerTables<T>(at: LedgerAt, work: (tables: LedgerTables) => Promise<T>): Promise<T> {
  const tables = await openLedgerTables(at);
  try {
    return await work(tables);
  } finally {
    await tables.close();
  }
}

/** The rows of one query over the tables of the ledger `at` (opened for it and closed). */
export function queryTables<Row>(at: LedgerAt, query: (db: LedgerDb) => Compilable<Row>): Promise<Row[]> {
  return withLedgerTables(at, ({ db, all }) => all(query(db)));
}

/** One write to the tables of the ledger `at` (opened for it and closed). */
export function writeTables(at: LedgerAt, query: (db: LedgerDb) => Compilable<unknown>): Promise<{ changes: number }> {
  return withLedgerTables(at, ({ db, run }) => run(query(db)));
}

/** The store's PostgreSQL advisory locks, as a worker or a queue's first setup holds them: a test plays that other process. */
export { locks } from '../../src/store/index.js';
