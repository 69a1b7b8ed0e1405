import { EVENT_KINDS } from '../../rules/index.js';
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
  // The ad network's built-in kinds, named by their vocabulary's prefixes (EVENT_KINDS is their one list).
  books: EVENT_KINDS.filter((kind) => /^(publisher|payout|advertiser)_/.test(kind)),
};
