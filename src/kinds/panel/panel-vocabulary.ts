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
    /** An order's booked net charge rose (first charge or upward correction). Dr smm_services_expense, Cr panel_prepaid. */
    'order_charge',
    /** An order's booked net charge fell (full or pro-rata refund, downward correction). The reverse. */
    'order_refund',
    /** The balance found at the first sync. Dr panel_prepaid, Cr opening_balance_equity. */
    'panel_opening_balance',
    /** The balance rose beyond what orders explain (a top-up). Dr panel_prepaid, Cr topup_clearing. */
    'panel_topup',
    /** The balance fell beyond what orders explain. Dr suspense, Cr panel_prepaid. */
    'panel_unexplained_fall',
    /**
     * An order learned after the close whose balance held its charge explains that close's fall
     * (rules/balance-reconciliation.ts). Dr panel_prepaid, Cr suspense; with the order's charge,
     * Dr smm_services_expense / Cr suspense.
     */
    'panel_fall_explained',
    /**
     * The balance differs from the ledger by no more than the rounding of a panel that writes figures finer than a
     * micro-unit (docs/accounting.md). Gain: Dr panel_prepaid, Cr rounding; loss: the reverse.
     */
    'panel_rounding_gain',
    'panel_rounding_loss',
  ],
  booksSinceFirstRelease: ['panel_rounding_gain', 'panel_rounding_loss', 'panel_fall_explained'],
  // A top-up's money travels from the bank to the panel through its clearing account.
  booksInTransit: { panel_topup: 'topup' },
  // A refund takes back a charge.
  booksReversing: { order_refund: 'order_charge' },
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
