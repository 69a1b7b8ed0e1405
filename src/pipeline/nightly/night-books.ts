import type { AccountMovementRow } from '../../rules/index.js';

/** What the scheduled night needs of the books itself; its sync and run record go through their own use cases. */
export interface NightBooks {
  /** Net movement per source, account and currency of the entries a run appended, by source, account, currency. */
  runMovements(runId: string): Promise<AccountMovementRow[]>;
}
