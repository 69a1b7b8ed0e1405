import { ACKNOWLEDGE_WITH_A_NOTE } from '../../rules/index.js';
import type { SourceKind } from '../../pipeline/kinds/source-kind.js';

/**
 * What an SMM panel source books: the built-in panel event kinds, whose rules and accounts (smm_services_expense,
 * panel_prepaid, topup_clearing, suspense, …) are the shipped chart's and default mappings the shipped xero.yaml's and
 * quickbooks.yaml's. A destination's mapping needs these accounts only while a panel source is configured.
 */
export const panelVocabulary: NonNullable<SourceKind['vocabulary']> = {
  events: {},
  accounts: {},
  books: [
    'order_charge',
    'order_refund',
    'panel_opening_balance',
    'panel_topup',
    'panel_unexplained_fall',
    'panel_fall_explained',
    'panel_rounding_gain',
    'panel_rounding_loss',
  ],
  booksSinceFirstRelease: ['panel_rounding_gain', 'panel_rounding_loss', 'panel_fall_explained'],
};

/**
 * The findings a panel's close raises, and the items it adds to reconcile (its books against the panel's balance,
 * its orders open too long, its proxy's adds without an answer), in a bookkeeper's words: what happened, and what
 * to do next (reconcile, the report and the console say them).
 */
export const panelFindings: NonNullable<SourceKind['findings']> = {
  balance_rise: {
    title: 'Panel balance rose: a top-up to match with the bank',
    nextStep: `Find the top-up in the bank statement, ${ACKNOWLEDGE_WITH_A_NOTE} naming the transfer.`,
  },
  balance_fall: {
    title: 'Panel balance fell more than the orders explain',
    nextStep: `Compare the panel's order history of that day with the orders ledgerline knows; add a missed order to an orders file, or ${ACKNOWLEDGE_WITH_A_NOTE}.`,
  },
  unknown_order: {
    title: 'An order the panel does not know',
    nextStep: `Check the order id in the orders file against the panel; correct the file, or ${ACKNOWLEDGE_WITH_A_NOTE}.`,
  },
  unknown_status: {
    title: 'An order in a status ledgerline does not know',
    nextStep: `Look the order up at the panel; it is kept open at its charge until it finishes, ${ACKNOWLEDGE_WITH_A_NOTE}.`,
  },
  computed_refund: {
    title: 'Refund computed from a partly delivered order',
    nextStep: 'Nothing to do: the next balance confirms it.',
    class: 'information',
  },
  refund_not_computable: {
    title: 'A refund that could not be computed',
    nextStep: `Look the order up at the panel for the amount refunded, ${ACKNOWLEDGE_WITH_A_NOTE}.`,
  },
  charge_while_voided: {
    title: 'A charge on an order the panel had cancelled',
    nextStep: `Ask the panel why a cancelled order was charged, ${ACKNOWLEDGE_WITH_A_NOTE}.`,
  },
  currency_changed: {
    title: 'An order reported in another currency than before',
    nextStep: `Nothing was converted or booked: check the order at the panel, ${ACKNOWLEDGE_WITH_A_NOTE}.`,
  },
  balance_mismatch: {
    title: "The ledger's panel balance differs from what the panel reported",
    nextStep: `Run ledgerline sync again for the day; if it stays, ${ACKNOWLEDGE_WITH_A_NOTE}.`,
  },
  order_stuck_open: {
    title: 'An order open for too long',
    nextStep: `Ask the panel about the order, ${ACKNOWLEDGE_WITH_A_NOTE}.`,
  },
  add_without_outcome: {
    title: 'An order placed through the proxy with no answer kept',
    nextStep: "Check the panel's orders of that time and add the order to an orders file if it was placed.",
  },
};
