/** The vendors' clients, each loaded on first use: commands that never post do not load the SDKs (xero-node, intuit-oauth). */
export const loadXeroClient = async () => (await import('./xero/xero-client.js')).createXeroClient;
export const loadQuickbooksClient = async () =>
  (await import('./quickbooks/quickbooks-client.js')).createQuickbooksClient;
export const loadXeroBankDocuments = async () =>
  (await import('./xero/xero-bank-documents.js')).createXeroBankDocuments;
export const loadQuickbooksBankDocuments = async () =>
  (await import('./quickbooks/quickbooks-bank-documents.js')).createQuickbooksBankDocuments;
export const loadXeroEvidenceAttachments = async () =>
  (await import('./xero/xero-evidence-attachments.js')).createXeroEvidenceAttachments;
export const loadQuickbooksEvidenceAttachments = async () =>
  (await import('./quickbooks/quickbooks-evidence-attachments.js')).createQuickbooksEvidenceAttachments;
export type { DestinationClientDependencies } from './destination-client-options.js';
export { xeroConnectionSetup, xeroSection, xeroSectionOf, type XeroDestinationConfig } from './xero/xero-config.js';
export {
  quickbooksConnectionSetup,
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
export { csvText, exportCsv, exportGenericCsv, xeroImportDateFormat } from './csv/index.js';
export { writePlainTextLedger, type PlainTextFormat } from './plain-text/index.js';
export type { CallbackMode, ConnectOutcome, VendorConsent, XeroConnection } from './consent/index.js';
/** `connect` / `disconnect` only: loaded on use, so other commands do not load intuit-oauth for it. */
export const loadConsent = async () => import('./consent/index.js');
export { describeTokenHealth, type TokenHealth } from './token-health.js';
export { readConnection, type ConnectionSetup } from './connection-state.js';
