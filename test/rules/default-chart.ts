import type { EventRules } from '../../src/rules/event-rules.js';
import type { JournalEntry, TaxChart } from '../../src/rules/index.js';

/** DESIGN §3's default chart, written out by hand as the truth the rules are tested against. */
export const DEFAULT_CHART: EventRules = {
  publisher_earnings: { debit: 'payelancer_receivable', credit: 'ad_revenue', description: 'Publisher earnings' },
  publisher_clawback: {
    debit: 'ad_revenue',
    credit: 'payelancer_receivable',
    description: 'Publisher earnings clawed back',
  },
  payout_paypal: { debit: 'payout_clearing_paypal', credit: 'payelancer_receivable', description: 'Payout by PayPal' },
  payout_razorpay: {
    debit: 'payout_clearing_razorpay',
    credit: 'payelancer_receivable',
    description: 'Payout by Razorpay',
  },
  payout_wire: { debit: 'payout_clearing_wire', credit: 'payelancer_receivable', description: 'Payout by wire' },
  advertiser_spend: { debit: 'advertising_expense', credit: 'payelancer_prepaid', description: 'Advertiser spend' },
  advertiser_credit: { debit: 'payelancer_prepaid', credit: 'advertising_expense', description: 'Advertiser credit' },
  order_charge: { debit: 'smm_services_expense', credit: 'panel_prepaid', description: 'SMM order charges' },
  order_refund: { debit: 'panel_prepaid', credit: 'smm_services_expense', description: 'SMM order refunds' },
  panel_opening_balance: {
    debit: 'panel_prepaid',
    credit: 'opening_balance_equity',
    description: 'Panel opening balance',
  },
  panel_topup: { debit: 'panel_prepaid', credit: 'topup_clearing', description: 'Panel top-up' },
  panel_unexplained_fall: {
    debit: 'suspense',
    credit: 'panel_prepaid',
    description: 'Panel balance fall, unexplained',
  },
  panel_fall_explained: {
    debit: 'panel_prepaid',
    credit: 'suspense',
    description: 'Panel balance fall explained by orders learned late',
  },
  panel_rounding_gain: { debit: 'panel_prepaid', credit: 'rounding', description: 'Panel balance rounding' },
  panel_rounding_loss: { debit: 'rounding', credit: 'panel_prepaid', description: 'Panel balance rounding' },
};

/** The reversals the shipped kinds declare (their vocabularies' booksReversing), each with the flow it takes back. */
const REVERSING: Readonly<Record<string, string>> = {
  publisher_clawback: 'publisher_earnings',
  advertiser_credit: 'advertiser_spend',
  order_refund: 'order_charge',
};

/** The default chart's taxable flows, as the mappings loader gives them: every kind it rules, each reversal with its original. */
export const DEFAULT_TAXABLE: TaxChart['taxable'] = Object.fromEntries(
  Object.keys(DEFAULT_CHART).map((kind) => [kind, REVERSING[kind] === undefined ? {} : { reverses: REVERSING[kind] }]),
);

/** The default chart as the tax rules read it: its events, its taxable flows, and the accounts of its profit and loss. */
export const DEFAULT_TAX_CHART: TaxChart = {
  events: DEFAULT_CHART,
  profitAndLoss: new Set(['ad_revenue', 'advertising_expense', 'smm_services_expense', 'rounding', 'bank_fees']),
  taxable: DEFAULT_TAXABLE,
};

/** Debits minus credits of one account over some entries (optionally only those dated on or before asOf). */
export function accountBalance(entries: readonly JournalEntry[], account: string, asOf?: string): bigint {
  let balance = 0n;
  for (const entry of entries) {
    if (asOf !== undefined && entry.date > asOf) continue;
    for (const line of entry.lines) if (line.account === account) balance += line.amountMicros;
  }
  return balance;
}
