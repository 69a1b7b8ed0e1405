/**
 * How each kind of source event is journalized: the account(s) it debits and
 * the account(s) it credits, by ledger account key (DESIGN §3). A side is one
 * account, or a split by shares, e.g. order charges split between two
 * expense accounts 3:1:
 *   order_charge: { debit: [{ account: smm_services_expense, share: 3n }, { account: smm_client_costs, share: 1n }], credit: panel_prepaid }
 *
 * These are the shapes journalize can book, not a file format: the chart in
 * mappings/ is validated at the boundary by config's mappings schema, whose
 * output (every side a list of whole-number shares) is one of these shapes,
 * as the compiler checks where the loaded chart is handed to the rules.
 */
interface AccountShare {
  account: string;
  /** Relative and positive: 3 and 1 split 75 % / 25 %; a decimal number is read by its digits (0.5 and 0.25 split 2:1). */
  share: bigint | number;
}

export type EventSide = string | readonly AccountShare[];

export interface EventRule {
  debit: EventSide;
  credit: EventSide;
  /** Words for the journal lines, e.g. "SMM panel order charges". */
  description?: string | undefined;
  /** A payout's (money in) or a top-up's (money out) event: its money waits in its clearing account for the bank (`ledgerline transit`). */
  transit?: 'payout' | 'topup' | undefined;
}

/** A rule for every event kind the chart in force books: the chart file's and those the configured source kinds declare (looked up by name). */
export type EventRules = Readonly<Record<string, EventRule>>;
