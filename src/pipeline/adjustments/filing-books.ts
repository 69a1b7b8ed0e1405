/**
 * A tax return marked filed (`ledgerline vat file`, issue 70): its period and dates, the form (VAT, BAS, GST101A),
 * the currency, each box's figure as decimal text (UK {"1": "12.80", …}; AU {"G1": …, "1A": …}), the SHA-256 of
 * the return as `vat` printed it, when (ISO instant) and by whom (the operating-system user).
 */
export interface FiledReturn {
  period: string;
  from: string;
  to: string;
  form: string;
  currency: string;
  boxes: Record<string, string>;
  returnSha256: string;
  filedAt: string;
  filedBy: string;
}

/** What filing a return needs of the books (migration 0036): the filed returns, the chain's head, and the filing kept. */
export interface FilingBooks {
  /** Every filed return, oldest period first. */
  filedReturns(): Promise<FiledReturn[]>;
  /** The chain's head now (the link of the last record appended): what the return was worked from. */
  chainHead(): Promise<string>;
  /**
   * Keeps the filing, unless an entry was appended since the head the return was worked from: returns false then
   * and keeps nothing. Taken under the ledger's lock, so no append slips in between the check and the row.
   */
  recordFiledReturn(filed: FiledReturn, headWhenWorked: string): Promise<boolean>;
}
