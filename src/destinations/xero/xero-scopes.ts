/**
 * The smallest set of Xero scopes ledgerline needs, in the two families Xero
 * offers. Apps created on or after 2 March 2026 can only ask for the granular
 * ones; older apps keep the broad ones until September 2027
 * (developer.xero.com/documentation/guides/oauth2/scopes). `offline_access`
 * brings the refresh token that lets the nightly run go on without a person.
 */
export const XERO_SCOPE_FAMILIES = ['granular', 'broad'] as const;
export type XeroScopeFamily = (typeof XERO_SCOPE_FAMILIES)[number];

/** What ledgerline does with Xero, each needing one scope. */
export type XeroNeed = 'manual journals' | 'settings' | 'trial balance';

const SCOPE_FOR: Record<XeroScopeFamily, Record<XeroNeed, string>> = {
  granular: {
    'manual journals': 'accounting.manualjournals',
    settings: 'accounting.settings.read',
    'trial balance': 'accounting.reports.trialbalance.read',
  },
  broad: {
    'manual journals': 'accounting.transactions',
    settings: 'accounting.settings.read',
    'trial balance': 'accounting.reports.read',
  },
};

/** The scopes `connect xero` asks for: post (manual journals), doctor (settings), reconcile --with (trial balance), and offline_access. */
export function xeroConsentScopes(family: XeroScopeFamily): string[] {
  return ['offline_access', ...Object.values(SCOPE_FOR[family])];
}

/**
 * The scope a refused call needed, from the words the client uses for it:
 * "reading the trial balance" → accounting.reports.trialbalance.read (granular).
 */
export function xeroScopeFor(what: string, family: XeroScopeFamily): string {
  const need: XeroNeed = /trial balance/.test(what) ? 'trial balance' : /journal/.test(what) ? 'manual journals' : 'settings';
  return SCOPE_FOR[family][need];
}
