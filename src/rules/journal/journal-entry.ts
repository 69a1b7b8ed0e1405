import type { BookedTaxField } from '../tax/line-treatment.js';

/**
 * A journal entry as the ledger holds it. Lines carry signed micro-units:
 * positive is a debit, negative a credit (Xero's convention), so an entry
 * balances when its lines sum to zero in each currency.
 */
export interface JournalLine {
  /** Ledger account key from the chart (mappings/default.yaml), e.g. "smm_services_expense". */
  account: string;
  currency: string;
  /** Signed micro-units: +debit, −credit; never zero. */
  amountMicros: bigint;
  description?: string;
  /** How the line was taxed when it was booked (line-treatment.ts); no field on an entry booked without a chart's tax. */
  tax?: BookedTaxField | undefined;
}

export interface JournalEntry {
  /** Deterministic id, e.g. "je:smm-panel:2026-03-02" or "je:panel:smm-panel:order:23501:refund:2026-03-02". */
  id: string;
  /** Accounting date, YYYY-MM-DD. */
  date: string;
  /** Configured source id the entry comes from ("ads-publisher", "smm-panel"). */
  sourceId: string;
  description: string;
  /** Ids of the source events behind the entry, for the audit trail. */
  eventIds: readonly string[];
  lines: readonly JournalLine[];
  /**
   * A reclassification (a replay's correction moving amounts between accounts): its lines' cents are rendered in
   * pairs that net to nothing (cent-rendering.ts), and the entry keeps the flag (migration 0040).
   */
  reclassification?: boolean;
}

export function debit(account: string, currency: string, micros: bigint, description?: string): JournalLine {
  return { account, currency, amountMicros: micros, ...(description === undefined ? {} : { description }) };
}

export function credit(account: string, currency: string, micros: bigint, description?: string): JournalLine {
  return { account, currency, amountMicros: -micros, ...(description === undefined ? {} : { description }) };
}
