import type { NightBooks } from '../pipeline/nightly/night-books.js';
import { bankDocumentsOver } from './bank-documents-store.js';
import { bankLegMoves, bankSideEntries } from './bank-legs.js';
import type { LedgerStore } from './ledger-store.js';
import { postOutboxOver } from './post-outbox-store.js';
import { runMovements } from './run-movements.js';
import { transitItems } from './transit-items.js';

/** The scheduled night's port (pipeline/nightly/night-books.ts) over the store. */
export function nightBooksOver(store: LedgerStore) {
  return {
    runMovements: (runId: string) => runMovements(store, runId),
    postOutbox: (destination: string) => postOutboxOver(store, destination),
    transitDocuments: (destination: string) => ({
      transitItems: () => transitItems(store),
      bankLegs: () => bankLegMoves(store),
      bankSideEntries: (accounts: ReadonlySet<string>) => bankSideEntries(store, accounts),
      outbox: bankDocumentsOver(store, destination),
    }),
  } satisfies NightBooks;
}
