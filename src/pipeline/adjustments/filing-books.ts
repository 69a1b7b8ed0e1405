import type { FiledReturn } from '../../ledger/index.js';

/** What filing a return needs of the books (migration 0036): the filed returns, the chain's head, and the filing kept. */
export interface FilingBooks {
  /** Every filed return, oldest period first. */
  filedReturns(): Promise<FiledReturn[]>;
  /** The chain's head now (the link of the last record appended): what the return was worked from. */
  chainHead(): Promise<string>;
  /**
   * Keeps the filing, unless an entry was appended since the head the return was worked from: returns false then
   * and keeps nothing. Taken under the ledger's lock, so no append slips in between the check and the row, and
   * `refuse` is handed the returns filed by then, read under that lock (it throws to keep nothing): of two filings
   * at once, the second sees the first's (issue 84).
   */
  recordFiledReturn(
    filed: FiledReturn,
    headWhenWorked: string,
    refuse: (filedNow: readonly FiledReturn[]) => void,
  ): Promise<boolean>;
}
