/** What `doctor`'s lock-date check reads of the books besides the journal. */
export interface DoctorBooks {
  /** The ids of the entries not yet delivered to `destination`. */
  undeliveredEntryIds(destination: string): Promise<Set<string>>;
}
