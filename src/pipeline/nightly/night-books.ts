import type { AccountMovementRow } from '../../rules/index.js';
import type { PostOutbox, TransitDocumentBooks } from '../post/index.js';

/** What the scheduled night needs of the books itself; its sync and run record go through their own use cases. */
export interface NightBooks {
  /** Net movement per source, account and currency of the entries a run appended, by source, account, currency. */
  runMovements(runId: string): Promise<AccountMovementRow[]>;
  /** The post step's outbox for one destination. */
  postOutbox(destination: string): PostOutbox;
  /** The post step's bank-side documents for one destination: the payouts and top-ups, their bank legs, and its outbox. */
  transitDocuments(destination: string): TransitDocumentBooks;
}
