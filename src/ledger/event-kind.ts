/**
 * Every kind of source event the rules produce. Each one needs a journal rule
 * in mappings/default.yaml (which accounts it debits and credits); the
 * mappings loader refuses a chart that leaves one out.
 */
export const EVENT_KINDS = [
  /** Ad network, publisher: lifetime earnings rose. Dr payelancer_receivable, Cr ad_revenue. */
  'publisher_earnings',
  /** Ad network, publisher: lifetime earnings fell (invalid traffic clawed back). The reverse. */
  'publisher_clawback',
  /** Ad network: the unpaid receivable (≥ the minimum) paid out. Dr payout_clearing_<method>, Cr payelancer_receivable. */
  'payout_paypal',
  'payout_razorpay',
  'payout_wire',
  /** Ad network, advertiser: lifetime spend rose. Dr advertising_expense, Cr payelancer_prepaid. */
  'advertiser_spend',
  /** Ad network, advertiser: lifetime spend fell (a credit from the network). The reverse. */
  'advertiser_credit',
  /** Panel: an order's booked net charge rose (first charge or upward correction). Dr smm_services_expense, Cr panel_prepaid. */
  'order_charge',
  /** Panel: an order's booked net charge fell (full or pro-rata refund, downward correction). The reverse. */
  'order_refund',
  /** Panel: the balance found at the first sync. Dr panel_prepaid, Cr opening_balance_equity. */
  'panel_opening_balance',
  /** Panel: the balance rose beyond what orders explain (a top-up). Dr panel_prepaid, Cr topup_clearing. */
  'panel_topup',
  /** Panel: the balance fell beyond what orders explain. Dr suspense, Cr panel_prepaid. */
  'panel_unexplained_fall',
  /**
   * Panel: the balance differs from the ledger by no more than the rounding of a panel that writes
   * figures finer than a micro-unit (docs/accounting.md). Gain: Dr panel_prepaid, Cr rounding; loss: the reverse.
   */
  'panel_rounding_gain',
  'panel_rounding_loss',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const PAYOUT_METHODS = ['paypal', 'razorpay', 'wire'] as const;
export type PayoutMethod = (typeof PAYOUT_METHODS)[number];

export function payoutEventKind(method: PayoutMethod): EventKind {
  return `payout_${method}`;
}
