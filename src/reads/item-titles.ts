import { ACKNOWLEDGE_WITH_A_NOTE as ACK } from '../rules/index.js';

/** An item kind in a bookkeeper's words: what happened, and what to do next. */
export interface ItemTitle {
  readonly title: string;
  readonly nextStep: string;
}

/** The titles of the finding kinds the registered kinds of source declare, by kind (the registry's findingWords). */
export type FindingTitles = Readonly<Record<string, ItemTitle>>;

/**
 * What reconcile lists besides the findings and items a kind of source raises (each kind words its own,
 * `SourceKind.findings`): the replies the pipeline quarantined, and the checks of the books and the tie-out.
 */
export const CORE_ITEM_KINDS = [
  'quarantined_reply',
  'close_after_today',
  'refused_entry',
  'missing_at_destination',
  'changed_at_destination',
  'destination_balance_mismatch',
  'closed_period_changed_at_destination',
  'certificate_file_changed',
  'bank_leg_without_document',
  'chain_witness_differs',
  'tax_differs_at_destination',
] as const;
export type CoreItemKind = (typeof CORE_ITEM_KINDS)[number];

/** Every core kind has one: the type refuses a kind without it, and test/reads/item-titles.test.ts a kind reconcile makes. */
const TITLES: Readonly<Record<CoreItemKind, ItemTitle>> = {
  quarantined_reply: {
    title: 'A reply that could not be read, kept aside',
    nextStep: `Read the reason; once the source answers correctly the next sync books it, ${ACK}.`,
  },
  close_after_today: {
    title: 'A close dated after today',
    nextStep: "Check the machine's clock and the sandbox's day; the close is left as it is.",
  },
  refused_entry: {
    title: 'An entry the accounting system refused',
    nextStep: 'Fix what the reason names (a lock date, a mapping) and run ledgerline post again.',
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

/**
 * The title and next step of an item kind: the core's, or those the kind of source that raises it declares
 * (`findings`, the registry's findingWords). One no registered kind declares (its kind's plug-in removed, or a
 * release that no longer raises it) is still listed, as its key with spaces.
 */
export function itemTitle(kind: string, findings: FindingTitles): ItemTitle {
  if (Object.hasOwn(TITLES, kind)) return TITLES[kind as CoreItemKind];
  if (Object.hasOwn(findings, kind)) return findings[kind]!;
  return { title: kind.replace(/_/g, ' '), nextStep: `Read the message, ${ACK}.` };
}
