import type { BookedTaxField } from '../tax/line-treatment.js';

/**
 * An entry as destinations see it: whole cents, computed once when the entry
 * is appended (DESIGN §2, cumulative half-even per source, account and
 * currency) and stored beside it, so the CSV exports, Xero and QuickBooks all
 * receive the very same cents. Lines that round to 0.00 are left out; any
 * residue needed to balance sits on the `rounding` account.
 */
export interface RenderedLine {
  account: string;
  currency: string;
  /** Signed cents: +debit, −credit; never zero. */
  cents: bigint;
  description?: string;
  /** How the line was taxed when it was booked (line-treatment.ts), read back with it; no field on a rounding line. */
  tax?: BookedTaxField | undefined;
}

export interface RenderedEntry {
  id: string;
  /**
   * Its position in the ledger, only for an entry booked before journal numbers came from the books: it may
   * already be at a destination under the number made from it (see quickbooksDocNumber).
   */
  legacyPosition?: number;
  date: string;
  sourceId: string;
  description: string;
  eventIds: readonly string[];
  /** Empty when every line rounds to 0.00: such an entry has nothing to deliver. */
  lines: readonly RenderedLine[];
  /** Its evidence file's manifest hash, when the destination it goes to attaches evidence (`evidence: attach`). */
  evidenceSha256?: string | undefined;
  /** Its chain hash in the ledger, when it is posted through a destination's API: the journal there witnesses the chain (issue 52). */
  chainHash?: string | undefined;
}
