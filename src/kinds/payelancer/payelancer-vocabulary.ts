import type { SourceKind } from '../../pipeline/kinds/index.js';

/**
 * What an ad network (payelancer) source books: the built-in publisher, advertiser and payout event kinds, whose rules
 * and accounts (payelancer_receivable, ad_revenue, payout_clearing_*, advertising_expense, payelancer_prepaid) are the
 * shipped chart's and default mappings the shipped xero.yaml's and quickbooks.yaml's. A destination's mapping needs
 * these accounts only while an ad network source is configured.
 */
export const payelancerVocabulary: NonNullable<SourceKind['vocabulary']> = {
  events: {},
  accounts: {},
  books: [
    'publisher_earnings',
    'publisher_clawback',
    'payout_paypal',
    'payout_razorpay',
    'payout_wire',
    'advertiser_spend',
    'advertiser_credit',
  ],
};
