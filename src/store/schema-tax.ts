/** The tax returns `ledgerline vat file` marked filed (migration 0036), as rows of LedgerDatabase. */
export interface TaxTables {
  filed_returns: FiledReturnTable;
}

/** A filed return: its period, form, currency, boxes (JSON, box → figure), the SHA-256 of the return as printed, when and by whom. */
export interface FiledReturnTable {
  period: string;
  period_start: string;
  period_end: string;
  form: string;
  currency: string;
  boxes: string;
  return_sha256: string;
  filed_at: string;
  filed_by: string;
}
