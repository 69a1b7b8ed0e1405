import type { SourceKind } from '../../pipeline/kinds/index.js';

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
};
