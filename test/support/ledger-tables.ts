import { sql, type Compilable, type Kysely } from 'kysely';
import { LedgerStore } from '../../src/store/index.js';
import { queryBuilder } from '../../src/store/query-builder.js';
import type { LedgerDatabase } from '../../src/store/schema.js';
import { locationOf, type Books } from './books.js';

/**
 * The ledger's tables as a test sees them beneath the ports: to read a row no port hands out, to plant a row a
 * scenario starts from, or to tamper with one (a changed amount the chain must catch). The one file outside
 * test/store/ that reaches into src/store (test/architecture/tests-against-ports.test.ts); everything else a test
 * asks of the books goes through books.ts. It opens its own connection, so the CLI or the books are not running on
 * the ledger at the same moment, or have committed what this reads.
 */
export interface LedgerTables {
  /** Where the ledger is. */
  readonly path: string;
  /** The typed query builder, compiled for the ledger's engine. */
  readonly db: Kysely<LedgerDatabase>;
  all<Row>(query: Compilable<Row>): Promise<Row[]>;
  first<Row>(query: Compilable<Row>): Promise<Row | undefined>;
  run(query: Compilable<unknown>): Promise<{ changes: number }>;
  /** One statement written as SQL text (the same on both engines), for tampering. */
  runText(text: string): Promise<{ changes: number }>;
  close(): Promise<void>;
}

/** A ledger's place (a SQLite file or a postgres:// URL), or books a test opened, whose ledger is meant. */
export type LedgerAt = string | Books;

/** Opens the ledger `at` (a SQLite file, a postgres:// URL, or that of open books), migrated, for its tables. */
export async function openLedgerTables(at: LedgerAt): Promise<LedgerTables> {
  const store = await LedgerStore.openAt(typeof at === 'string' ? at : locationOf(at));
  const db = queryBuilder(store);
  return {
    path: store.path,
    db,
    all: (query) => store.all(query),
    first: (query) => store.first(query),
    run: (query) => store.unitOfWork((tx) => tx.run(query)),
    runText: (text) => store.unitOfWork((tx) => tx.run({ compile: () => sql.raw(text).compile(db) })),
    close: () => store.close(),
  };
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
export function queryTables<Row>(at: LedgerAt, query: (db: Kysely<LedgerDatabase>) => Compilable<Row>): Promise<Row[]> {
  return withLedgerTables(at, ({ db, all }) => all(query(db)));
}

/** One write to the tables of the ledger `at` (opened for it and closed). */
export function writeTables(
  at: LedgerAt,
  query: (db: Kysely<LedgerDatabase>) => Compilable<unknown>,
): Promise<{ changes: number }> {
  return withLedgerTables(at, ({ db, run }) => run(query(db)));
}

/** The store's PostgreSQL advisory locks, as a worker or a queue's first setup holds them: a test plays that other process. */
export { lockQueueSetup, lockSources } from '../../src/store/index.js';
