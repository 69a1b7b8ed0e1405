import type { PostOutbox, TransitDocumentBooks } from '../post/index.js';

/** What one run booked on one account of one source: the exact net and the cents rendered for destinations. */
export interface RunMovement {
  sourceId: string;
  account: string;
  currency: string;
  /** Debits − credits of the run's journal lines, micro-units. */
  exactMicros: bigint;
  /** Debits − credits of the run's rendered lines: what destinations receive. */
  cents: bigint;
}

/** What the scheduled night needs of the books itself; its sync and run record go through their own use cases. */
export interface NightBooks {
  /** Net movement per source, account and currency of the entries a run appended, by source, account, currency. */
  runMovements(runId: string): Promise<RunMovement[]>;
  /** The post step's outbox for one destination. */
  postOutbox(destination: string): PostOutbox;
  /** The post step's bank-side documents for one destination: the payouts and top-ups, their bank legs, and its outbox. */
  transitDocuments(destination: string): TransitDocumentBooks;
}
