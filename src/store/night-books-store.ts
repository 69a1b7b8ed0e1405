import type { NightBooks } from '../pipeline/nightly/night-books.js';
import type { LedgerStore } from './ledger-store.js';
import { runMovements } from './run-movements.js';

/** The scheduled night's port (pipeline/nightly/night-books.ts) over the store. */
export function nightBooksOver(store: LedgerStore) {
  return {
    runMovements: (runId: string) => runMovements(store, runId),
  } satisfies NightBooks;
}
