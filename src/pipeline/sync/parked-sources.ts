/** A source the queue gave up on: its close of `day` failed in every try, for `reason`. */
export interface ParkedSource {
  sourceId: string;
  reason: string;
  day: string;
  parkedAt: string;
}

/**
 * The parked sources. The dead-letter queue's worker parks a source whose close failed in every try; `sync --queue`
 * then leaves it out, reporting it as failed with its reason, until a close of it books again (a manual
 * `sync --source ID`, which unparks it).
 */
export interface ParkedSources {
  park(sourceId: string, parked: { reason: string; day: string }, now: Date): Promise<void>;
  unpark(sourceIds: readonly string[]): Promise<void>;
  parked(): Promise<ParkedSource[]>;
}
