import { ACKNOWLEDGE_WITH_A_NOTE } from '../../rules/index.js';
import type { SourceKind } from '../../pipeline/kinds/source-kind.js';

/**
 * What an ad network (payelancer) source books: the built-in publisher, advertiser and payout event kinds, whose rules
 * and accounts (payelancer_receivable, ad_revenue, payout_clearing_*, advertising_expense, payelancer_prepaid) are the
 * shipped chart's and default mappings the shipped xero.yaml's and quickbooks.yaml's. A destination's mapping needs
 * these accounts only while an ad network source is configured.
 */
export const payelancerVocabulary: NonNullable<SourceKind['vocabulary']> = {
  // The advertiser's opening and its top-ups from the bank's lines (rules/advertiser-balance.ts).
  events: {
    advertiser_opening_balance: {
      debit: 'payelancer_prepaid',
      credit: 'opening_balance_equity',
      description: 'Ad network advertiser opening balance',
    },
    advertiser_topup: {
      debit: 'payelancer_prepaid',
      credit: 'topup_clearing',
      description: 'Ad network advertiser top-up',
      transit: 'topup',
    },
  },
  accounts: {},
  books: [
    /** Publisher: lifetime earnings rose. Dr payelancer_receivable, Cr ad_revenue. */
    'publisher_earnings',
    /** Publisher: lifetime earnings fell (invalid traffic clawed back). The reverse. */
    'publisher_clawback',
    /** The unpaid receivable (≥ the minimum) paid out. Dr payout_clearing_<method>, Cr payelancer_receivable. */
    'payout_paypal',
    'payout_razorpay',
    'payout_wire',
    /** Advertiser: lifetime spend rose. Dr advertising_expense, Cr payelancer_prepaid. */
    'advertiser_spend',
    /** Advertiser: lifetime spend fell (a credit from the network). The reverse. */
    'advertiser_credit',
  ],
  // Each payout's money travels from the network to the bank through its clearing account.
  booksInTransit: { payout_paypal: 'payout', payout_razorpay: 'payout', payout_wire: 'payout' },
  // A clawback takes back earnings, an advertiser's credit takes back spend.
  booksReversing: { publisher_clawback: 'publisher_earnings', advertiser_credit: 'advertiser_spend' },
};

/** The findings an ad network's close raises, in a bookkeeper's words: what happened, and what to do next. */
export const payelancerFindings: NonNullable<SourceKind['findings']> = {
  counter_vs_conversions: {
    title: "The ad network's counter and its conversions disagree",
    nextStep: `Check the day's conversions in the ad network's dashboard, ${ACKNOWLEDGE_WITH_A_NOTE}.`,
  },
  payout_carried_forward: {
    title: 'Payout below the minimum, carried forward',
    nextStep: 'Nothing to do: the earnings are paid with a later payout.',
    class: 'information',
  },
  clawback: {
    title: 'Earnings clawed back by the ad network',
    nextStep: `Read the ad network's reason for the clawback, ${ACKNOWLEDGE_WITH_A_NOTE}.`,
  },
  counter_role_changed: {
    title: "The ad network's key now reports the other role",
    nextStep: `Check which key the source's configuration holds (publisher or advertiser), ${ACKNOWLEDGE_WITH_A_NOTE}.`,
  },
};
