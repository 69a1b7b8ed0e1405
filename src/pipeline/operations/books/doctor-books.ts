import { DeliveryOutbox, type StoreHandle } from '../../../store/index.js';

/** What `doctor`'s lock-date check reads of the books besides the journal. */
export interface DoctorBooks {
  /** The ids of the entries not yet delivered to `destination`. */
  undeliveredEntryIds(destination: string): Promise<Set<string>>;
}

/** The delivery outbox as `doctor` reads it (`books.of(doctorBooks)`). */
export const doctorBooks = (store: StoreHandle): DoctorBooks => ({
  // Only read here: the outbox's clock stamps writes, and none is made.
  undeliveredEntryIds: (destination) =>
    new DeliveryOutbox(store, destination, () => new Date(0).toISOString()).undeliveredIds({}),
});
