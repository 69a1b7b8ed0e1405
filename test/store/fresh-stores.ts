import { join } from 'node:path';
import { afterEach } from 'vitest';
import { LedgerStore } from '../../src/store/index.js';
import { useLedgerEngines, type LedgerEngine } from '../support/ledger-engines.js';

/**
 * For a test file of the store on both engines: `openFresh(engine)` opens a store on a fresh ledger (a new PostgreSQL
 * database, or a SQLite file in a folder of `tempDir`), `closeAfter(store)` takes in a store opened otherwise; each is
 * closed after its test.
 */
export function useFreshStores(tempDir: () => string): {
  openFresh: (engine: LedgerEngine) => Promise<LedgerStore>;
  closeAfter: <Store extends LedgerStore>(store: Store) => Store;
} {
  const { fresh } = useLedgerEngines();
  const opened: LedgerStore[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  const closeAfter = <Store extends LedgerStore>(store: Store): Store => {
    opened.push(store);
    return store;
  };
  return {
    openFresh: async (engine) =>
      closeAfter(await LedgerStore.openAt((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'))),
    closeAfter,
  };
}
