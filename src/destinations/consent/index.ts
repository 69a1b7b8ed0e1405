/** `ledgerline connect` and `disconnect`: the consent flow, the organisation, and undoing it. */
export { connectDestination, type CallbackMode } from './connect-flow.js';
export { disconnectDestination } from './disconnect-flow.js';
export { quickbooksConsent, xeroConsent, type VendorConsent } from './vendor-consent.js';
export type { XeroConnection } from './xero-connections.js';
