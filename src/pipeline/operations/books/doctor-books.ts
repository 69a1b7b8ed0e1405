import { deliveriesTo, type StoreHandle } from '../../../store/index.js';

/** What `doctor`'s lock-date check reads of the books besides the journal. */
export interface DoctorBooks {
  /** The ids of the entries not yet delivered to `destination`. */
  undeliveredEntryIds(destination: string): Promise<Set<string>>;
}

/** The delivery outbox as `doctor` reads it (`books.of(doctorBooks)`). */
export const doctorBooks = (store: StoreHandle): DoctorBooks => ({
  undeliveredEntryIds: (destination) => deliveriesTo(store, destination).undeliveredIds({}),
});
