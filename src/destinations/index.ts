export { createDestinationClient } from './create-destination-client.js';
export { openTokenStore } from './token-store.js';
export type { Conversion, DestinationCallCounts, DestinationClient, DestinationLimits, ExchangeRateLookup, RemoteLine } from './destination-client.js';
export { blockingProblems, type CheckStatus, type OrganisationCheck } from './organisation-check.js';
export { checkQuickbooksCompany } from './quickbooks/quickbooks-organisation-checks.js';
export { checkXeroOrganisation } from './xero/xero-organisation-checks.js';
export { exportCsv, exportGenericCsv, xeroImportDateFormat } from './csv/index.js';
export { writePlainTextLedger, type PlainTextFormat } from './plain-text/index.js';
export type { CallbackMode, VendorConsent, XeroConnection } from './consent/index.js';
/** `connect` / `disconnect` only: loaded on use, so other commands do not load intuit-oauth for it. */
export const loadConsent = async () => import('./consent/index.js');
export { describeTokenHealth, type TokenHealth } from './token-health.js';
