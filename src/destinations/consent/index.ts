/** `ledgerline connect` and `disconnect`: the consent flow, the organisation, and undoing it. */
export { connectDestination, DEFAULT_CALLBACK_PORT, type CallbackMode, type ConnectOutcome } from './connect-flow.js';
export { disconnectDestination, type DisconnectOutcome } from './disconnect-flow.js';
export { quickbooksConsent, xeroConsent, type VendorConsent } from './vendor-consent.js';
export type { XeroConnection } from './xero-connections.js';
