import type { Compilable, Kysely, RawBuilder } from 'kysely';
import type { LedgerStore } from './ledger-store.js';
import type { LedgerDatabase } from './schema.js';

/**
 * Each open store's kysely handle, for the repositories in this folder alone: the LedgerStore interface
 * carries no query builder, so code above the store asks it questions through the repositories' domain
 * verbs and cannot build SQL of its own. Not exported from the store's index (test/architecture/store-boundary.test.ts
 * checks that nothing outside src/store imports this module).
 */
const builders = new WeakMap<
  LedgerStore,
  { db: Kysely<LedgerDatabase> | (() => Kysely<LedgerDatabase>); engine: LedgerEngineName }
>();

/** The engine a store's statements run on, where a repository must write a statement its own way. */
type LedgerEngineName = 'sqlite' | 'postgres';

/**
 * Called by each executor (SQLite, PostgreSQL) as it is made, and by each unit of work it opens (unit-of-work.ts).
 * `db` may be a function making the handle, called when a query is first built: a read served by prepared
 * statements alone (plain-query.ts) then never makes one.
 */
export function registerQueryBuilder(
  store: LedgerStore,
  db: Kysely<LedgerDatabase> | (() => Kysely<LedgerDatabase>),
  engine: LedgerEngineName,
): void {
  builders.set(store, { db, engine });
}

/** Whether `store`, or the unit of work `store` is, runs on SQLite. */
export function onSqlite(store: LedgerStore): boolean {
  return builders.get(store)?.engine === 'sqlite';
}

/** The kysely handle queries against `store` are built with, compiled for its dialect. */
export function queryBuilder(store: LedgerStore): Kysely<LedgerDatabase> {
  const builder = builders.get(store);
  if (builder === undefined)
    throw new TypeError(
      `the ledger store ${store.path} was not made by an executor in src/store, so no query can be built for it`,
    );
  if (typeof builder.db === 'function') builder.db = builder.db();
  return builder.db;
}

/** An `sql` template compiled for this store's dialect, as the store's calls take a query. */
export function boundTo<Row>(store: LedgerStore, query: RawBuilder<Row>): Compilable<Row> {
  return { compile: () => query.compile(queryBuilder(store)) };
}
