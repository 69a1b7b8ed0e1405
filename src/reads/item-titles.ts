import { FINDING_KINDS, type FindingKind } from '../rules/index.js';

/** What reconcile lists besides the rules' findings: checks of the books, the proxy's records and the tie-out. */
export const CHECK_KINDS = [
  'close_after_today',
  'refused_entry',
  'balance_mismatch',
  'order_stuck_open',
  'add_without_outcome',
  'missing_at_destination',
  'changed_at_destination',
  'destination_balance_mismatch',
  'closed_period_changed_at_destination',
  'certificate_file_changed',
  'bank_leg_without_document',
  'chain_witness_differs',
  'tax_differs_at_destination',
] as const;
export type ItemKind = FindingKind | (typeof CHECK_KINDS)[number];
export const ITEM_KINDS: readonly ItemKind[] = [...FINDING_KINDS, ...CHECK_KINDS];

/** An item kind in a bookkeeper's words: what happened, and what to do next. */
export interface ItemTitle {
  title: string;
  nextStep: string;
}

const ACK = 'then acknowledge it with a note (ledgerline reconcile ack ID --note "…")';

/** Every kind has one: the type refuses a kind without it, and test/reads/item-titles.test.ts a kind added to the vocabulary. */
const TITLES: Readonly<Record<ItemKind, ItemTitle>> = {
  balance_rise: {
    title: 'Panel balance rose: a top-up to match with the bank',
    nextStep: `Find the top-up in the bank statement, ${ACK} naming the transfer.`,
  },
  balance_fall: {
    title: 'Panel balance fell more than the orders explain',
    nextStep: `Compare the panel's order history of that day with the orders ledgerline knows; add a missed order to an orders file, or ${ACK}.`,
  },
  counter_vs_conversions: {
    title: "The ad network's counter and its conversions disagree",
    nextStep: `Check the day's conversions in the ad network's dashboard, ${ACK}.`,
  },
  payout_carried_forward: {
    title: 'Payout below the minimum, carried forward',
    nextStep: 'Nothing to do: the earnings are paid with a later payout.',
  },
  clawback: {
    title: 'Earnings clawed back by the ad network',
    nextStep: `Read the ad network's reason for the clawback, ${ACK}.`,
  },
  unknown_order: {
    title: 'An order the panel does not know',
    nextStep: `Check the order id in the orders file against the panel; correct the file, or ${ACK}.`,
  },
  unknown_status: {
    title: 'An order in a status ledgerline does not know',
    nextStep: `Look the order up at the panel; it is kept open at its charge until it finishes, ${ACK}.`,
  },
  quarantined_reply: {
    title: 'A reply that could not be read, kept aside',
    nextStep: `Read the reason; once the source answers correctly the next sync books it, ${ACK}.`,
  },
  computed_refund: {
    title: 'Refund computed from a partly delivered order',
    nextStep: 'Nothing to do: the next balance confirms it.',
  },
  refund_not_computable: {
    title: 'A refund that could not be computed',
    nextStep: `Look the order up at the panel for the amount refunded, ${ACK}.`,
  },
  charge_while_voided: {
    title: 'A charge on an order the panel had cancelled',
    nextStep: `Ask the panel why a cancelled order was charged, ${ACK}.`,
  },
  currency_changed: {
    title: 'An order reported in another currency than before',
    nextStep: `Nothing was converted or booked: check the order at the panel, ${ACK}.`,
  },
  counter_role_changed: {
    title: "The ad network's key now reports the other role",
    nextStep: `Check which key the source's configuration holds (publisher or advertiser), ${ACK}.`,
  },
  close_after_today: {
    title: 'A close dated after today',
    nextStep: "Check the machine's clock and the sandbox's day; the close is left as it is.",
  },
  refused_entry: {
    title: 'An entry the accounting system refused',
    nextStep: 'Fix what the reason names (a lock date, a mapping) and run ledgerline post again.',
  },
  balance_mismatch: {
    title: "The ledger's panel balance differs from what the panel reported",
    nextStep: `Run ledgerline sync again for the day; if it stays, ${ACK}.`,
  },
  order_stuck_open: { title: 'An order open for too long', nextStep: `Ask the panel about the order, ${ACK}.` },
  add_without_outcome: {
    title: 'An order placed through the proxy with no answer kept',
    nextStep: "Check the panel's orders of that time and add the order to an orders file if it was placed.",
  },
  missing_at_destination: {
    title: 'A posted entry the accounting system no longer holds',
    nextStep: 'Look for it at the destination (deleted or voided?) and post it again with ledgerline post.',
  },
  changed_at_destination: {
    title: 'A posted entry changed at the accounting system',
    nextStep:
      "Compare it with the ledger's entry and undo the edit at the destination, or correct the books with a new entry.",
  },
  destination_balance_mismatch: {
    title: "An account's balance at the accounting system differs from the ledger's",
    nextStep: 'Look for entries made at the destination by hand, and reconcile them there.',
  },
  closed_period_changed_at_destination: {
    title: 'A journal of a closed period changed at the accounting system behind its lock',
    nextStep:
      'Ask who unlocked the period there, undo the change and lock it again, or book the correction in the first open period naming the certificate.',
  },
  certificate_file_changed: {
    title: "A closed period's certificate file is missing or no longer the one the close kept",
    nextStep: 'Restore the certificate file from a backup; its SHA-256 is in the message.',
  },
  chain_witness_differs: {
    title: 'A journal at the accounting system carries a chain hash the ledger no longer has at that entry',
    nextStep:
      'Entries were removed or rewritten in the ledger behind its back: stop posting, run ledgerline ' +
      'verify, and restore the ledger from a backup taken before the entry the message names.',
  },
  tax_differs_at_destination: {
    title: "A posted journal's tax at the accounting system differs from the ledger's",
    nextStep:
      "Compare the code's rate at the destination with the rate: in the mapping's tax section, and correct the one that is wrong before the return is filed.",
  },
  bank_leg_without_document: {
    title: 'Money the bank received or paid that the accounting system still holds in clearing',
    nextStep:
      "Run ledgerline post for a window holding the item's day, which creates its bank-side document; " +
      'or record the transfer from clearing at the destination by hand.',
  },
};

/** The title and next step of an item kind; one this release does not know reads as its key with spaces. */
export function itemTitle(kind: string): ItemTitle {
  return Object.hasOwn(TITLES, kind)
    ? TITLES[kind as ItemKind]
    : { title: kind.replace(/_/g, ' '), nextStep: `Read the message, ${ACK}.` };
}
