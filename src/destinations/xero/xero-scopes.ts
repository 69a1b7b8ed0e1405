/**
 * The smallest set of Xero scopes ledgerline needs, in the two families Xero
 * offers. Apps created on or after 2 March 2026 can only ask for the granular
 * ones; older apps keep the broad ones until September 2027
 * (developer.xero.com/documentation/guides/oauth2/scopes). `offline_access`
 * brings the refresh token that lets the nightly run go on without a person.
 */
const XERO_SCOPE_FAMILIES = ['granular', 'broad'] as const;
export type XeroScopeFamily = (typeof XERO_SCOPE_FAMILIES)[number];

/** What ledgerline does with Xero, each needing one scope. */
type XeroNeed = 'manual journals' | 'settings' | 'trial balance' | 'bank transactions' | 'attachments';

const SCOPE_FOR: Record<XeroScopeFamily, Record<XeroNeed, string>> = {
  granular: {
    'manual journals': 'accounting.manualjournals',
    settings: 'accounting.settings.read',
    'trial balance': 'accounting.reports.trialbalance.read',
    'bank transactions': 'accounting.banktransactions',
    attachments: 'accounting.attachments',
  },
  broad: {
    'manual journals': 'accounting.transactions',
    settings: 'accounting.settings.read',
    'trial balance': 'accounting.reports.read',
    'bank transactions': 'accounting.transactions',
    attachments: 'accounting.attachments',
  },
};

/**
 * The scopes `connect xero` asks for: post (manual journals), doctor (settings), reconcile --with (trial balance),
 * offline_access, bank transactions when ledgerline creates them (transit.createBankDocuments), and attachments when
 * it attaches each journal's evidence (evidence: attach).
 */
export function xeroConsentScopes(
  family: XeroScopeFamily,
  options: { bankDocuments?: boolean; evidence?: boolean } = {},
): string[] {
  const needs: XeroNeed[] = [
    'manual journals',
    'settings',
    'trial balance',
    ...(options.bankDocuments === true ? (['bank transactions'] as const) : []),
    ...(options.evidence === true ? (['attachments'] as const) : []),
  ];
  return ['offline_access', ...new Set(needs.map((need) => SCOPE_FOR[family][need]))];
}

/**
 * The scope a refused call needed, from the words the client uses for it:
 * "reading the trial balance" → accounting.reports.trialbalance.read (granular);
 * "creating the bank transaction for po-7" → accounting.banktransactions;
 * "attaching the evidence of je:smm-panel:2026-03-02" → accounting.attachments.
 */
export function xeroScopeFor(what: string, family: XeroScopeFamily): string {
  const need: XeroNeed = /trial balance/.test(what)
    ? 'trial balance'
    : /bank transaction/.test(what)
      ? 'bank transactions'
      : /attach/.test(what)
        ? 'attachments'
        : /journal/.test(what)
          ? 'manual journals'
          : 'settings';
  return SCOPE_FOR[family][need];
}
