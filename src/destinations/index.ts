/** The contract of a kind of destination; each kind's bundle lives in its own folder (`xero/xero-kind.ts`), which the registry imports. */
export type { DestinationApi, DestinationExportFormat, DestinationKind } from './destination-kind.js';
export type { DestinationClientDependencies } from './destination-client-options.js';
export { xeroSection, type XeroDestinationConfig } from './xero/xero-config.js';
export {
  quickbooksSection,
  quickbooksSectionOf,
  type QuickBooksDestinationConfig,
} from './quickbooks/quickbooks-config.js';
export { xeroMapping, xeroMappingOf } from './xero/xero-mapping.js';
export { quickbooksMapping, quickbooksMappingOf } from './quickbooks/quickbooks-mapping.js';
export { openTokenStore } from './token-store.js';
export { baseCents, deliveredConversion } from './entry-conversion.js';
export type { BankDocumentClient, BankDocumentRequest, BankDocumentState } from './bank-document-client.js';
export type { EvidenceAttachmentClient } from './evidence-attachment-client.js';
export type {
  Conversion,
  DestinationCallCounts,
  DestinationClient,
  DestinationLimits,
  ExchangeRateLookup,
  RemoteLine,
} from './destination-client.js';
export {
  blockingProblems,
  unfitAccounts,
  type CheckStatus,
  type OrganisationCheck,
  type UnfitAccounts,
} from './organisation-check.js';
/** `vat --format csv` writes the boxes as the CSV exports are written. */
export { csvText } from './csv/index.js';
export type { CallbackMode, VendorConsent, XeroConnection } from './consent/index.js';
/** `connect` / `disconnect` only: loaded on use, so other commands do not load intuit-oauth for it. */
export const loadConsent = async () => import('./consent/index.js');
export { describeTokenHealth } from './token-health.js';
export { readConnection } from './connection-state.js';
export { regionChartTaxSection } from './region-tax.js';
