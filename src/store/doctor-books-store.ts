import type { DoctorBooks } from '../pipeline/operations/doctor-books.js';
import { DeliveryOutbox } from './delivery-outbox.js';
import type { LedgerStore } from './ledger-store.js';

/**
 * The delivery outbox as `doctor`'s port (pipeline/operations/doctor-books.ts) reads it. An arrow: it does no
 * I/O itself, and the architecture test holds every `export function` taking the store to be async.
 */
export const doctorBooksOver = (store: LedgerStore) =>
  ({
    // Only read here: the outbox's clock stamps writes, and none is made.
    undeliveredEntryIds: (destination: string) =>
      new DeliveryOutbox(store, destination, () => new Date(0).toISOString()).undeliveredIds({}),
  }) satisfies DoctorBooks;
