/**
 * Every migration's name, in the order kysely applies them: what opening a ledger needs to count the pending ones
 * without loading the migrations' code (index.ts, imported only when one is pending). A new migration goes here
 * too: index.ts's lists are typed by these names, and test/store/migration-names.test.ts checks them against
 * the files in this folder.
 */
export const MIGRATION_NAMES = [
  '0001-ledger',
  '0002-close-log',
  '0003-acknowledgements',
  '0004-delivery-exchange-rates',
  '0005-balance-indexes',
  '0006-legacy-journal-numbers',
  '0007-fall-explanations',
  '0008-proxy-add-requests',
  '0009-ledger-identity',
  '0010-replay-snapshots',
  '0011-refusals-without-statement-journal',
  '0012-account-totals',
  '0013-order-snapshots-by-replacement',
  '0014-one-index-on-entry-dates',
  '0015-cents-with-their-lines',
  '0016-superseded-order-states',
  '0017-entry-event-links',
  '0018-sealed-months',
  '0019-bank-lines',
  '0020-adjustments',
  '0021-bank-documents',
  '0022-daily-movements',
  '0023-evidence-attachments',
  '0024-transit-evidence',
  '0025-statement-level-checks',
  '0026-chained-cents-and-closes',
  '0027-row-seals',
  '0028-adjustment-keys',
  '0029-bank-matching',
  '0030-statement-accounts',
  '0031-payelancer-close-state',
  '0032-call-budgets',
  '0033-entry-balance-in-one-pass',
  '0034-transit-indexes',
  '0035-run-lock-holder-start',
  '0036-filed-returns',
  '0037-exception-words',
  '0038-filed-return-seals',
  '0039-line-tax-treatments',
  '0040-reclassified-cents',
] as const;

export type MigrationName = (typeof MIGRATION_NAMES)[number];
