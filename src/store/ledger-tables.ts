import { sql, type Compilable, type Kysely } from 'kysely';
import { LedgerStore } from './ledger-opener.js';
import { queryBuilder } from './query-builder.js';
import type { LedgerDatabase } from './schema.js';

/**
 * The ledger's tables beneath the ports, for the tests' one door (test/support/ledger-tables.ts): a row a test
 * plants, reads or tampers with. Nothing in src/ outside the store calls it (test/architecture/store-boundary.test.ts):
 * code above the store asks the ports.
 */
interface LedgerTableAccess {
  /** Where the ledger is. */
  readonly path: string;
  /** The typed query builder, compiled for the ledger's engine. */
  readonly db: Kysely<LedgerDatabase>;
  all<Row>(query: Compilable<Row>): Promise<Row[]>;
  first<Row>(query: Compilable<Row>): Promise<Row | undefined>;
  /** One write, as a unit of its own. */
  run(query: Compilable<unknown>): Promise<{ changes: number }>;
  /** One statement written as SQL text (the same on both engines), as a unit of its own. */
  runText(text: string): Promise<{ changes: number }>;
  close(): Promise<void>;
}

/** Opens the ledger at `location` (a SQLite file or a postgres:// URL), migrated, for its tables. */
export async function ledgerTables(location: string): Promise<LedgerTableAccess> {
  const store = await LedgerStore.openAt(location);
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
