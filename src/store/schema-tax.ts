/** The tax returns `ledgerline vat file` marked filed (migration 0036), as rows of LedgerDatabase. */
export interface TaxTables {
  filed_returns: FiledReturnTable;
  journal_line_taxes: JournalLineTaxTable;
  /** The entries booked before migration 0039 that still wait for their lines' treatments (line-tax-backfill.ts). */
  journal_line_taxes_pending: { entry_id: string };
}

/**
 * How each line of an entry booked with the chart's tax was taxed (migration 0039, issue 82), keyed as the line; every
 * column but the key null on a line no rule coded. `reverse_charge` 0 or 1.
 */
export interface JournalLineTaxTable {
  entry_id: string;
  line_no: bigint | number;
  flow: string | null;
  reverses: string | null;
  code: string | null;
  name: string | null;
  rate: string | null;
  side: 'sales' | 'purchases' | null;
  reverse_charge: bigint | number | null;
  base_micros: bigint | null;
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
