import type { QuickBooksDestinationConfig } from '../quickbooks/quickbooks-config.js';
import type { XeroDestinationConfig } from '../xero/xero-config.js';
import { QUICKBOOKS_API_URLS, QUICKBOOKS_MINOR_VERSION } from '../quickbooks/quickbooks-session.js';
import { INTUIT_ENDPOINTS } from '../quickbooks/quickbooks-token-endpoint.js';
import { XERO_REFRESH_TOKEN_UNUSED_SECONDS, XERO_TOKEN_URL } from '../xero/xero-token-endpoint.js';
import { xeroConsentScopes } from '../xero/xero-scopes.js';
import type { OAuthTokenEndpoint } from '../token-request.js';

/** Xero's identity endpoints (developer.xero.com/documentation/guides/oauth2/auth-flow). */
const XERO_AUTHORIZE_URL = 'https://login.xero.com/identity/connect/authorize';
const XERO_REVOKE_URL = 'https://identity.xero.com/connect/revocation';
const XERO_CONNECTIONS_URL = 'https://api.xero.com/connections';

/** Intuit's one scope for the Accounting API; Intuit hands out a refresh token without an offline_access scope. */
const QUICKBOOKS_ACCOUNTING_SCOPE = 'com.intuit.quickbooks.accounting';

/** Everything the consent flow needs to know about one vendor's app: where to send the person, where to exchange, what to ask for. */
export interface VendorConsent extends OAuthTokenEndpoint {
  /** Its destination kind's name: `connect NAME`, the token store's key. */
  destination: string;
  /** As messages name the service: "Xero", "QuickBooks". */
  service: string;
  authorizeUrl: string;
  revokeUrl: string;
  /**
   * How the organisation a consent reached is chosen: `connections`, listed at connectionsUrl and picked by --tenant
   * or a prompt (Xero); `realmId`, carried by the redirect (QuickBooks); absent, the grant reaches one organisation.
   */
  tenancy?: 'connections' | 'realmId';
  /** With tenancy `connections`: the organisations a token reaches. */
  connectionsUrl?: string;
  /** With tenancy `connections`: the organisation the configuration names (Xero's tenantId), chosen among several. */
  configuredTenantId?: string;
  /** How long a refresh token lasts unused when the token endpoint does not say (Xero: 60 days). */
  refreshTokenUnusedSeconds?: number;
  /** How its revocation endpoint is called: RFC 7009's form POST of `token` unless `intuit-oauth` (intuit-oauth's revoke()). */
  revocation?: 'intuit-oauth';
  scopes: readonly string[];
  /** The redirect URI registered for the app, when it is not the loopback listener's. */
  redirectUri?: string;
  /** QuickBooks: where the company's name is read after the consent (GET …/companyinfo/{realmId}). */
  companyInfoUrl?: (realmId: string) => string;
  /** The configuration's refreshToken, if any: the stored tokens are marked as newer than it. */
  configRefreshToken?: string;
  /** Intuit's production keys at Intuit's own consent page: only an https redirect URI is taken (the setting that says so). */
  httpsRedirectOnly?: { setting: string };
}

export function xeroConsent(config: XeroDestinationConfig): VendorConsent {
  return {
    destination: 'xero',
    service: 'Xero',
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authorizeUrl: config.authorizeUrl ?? XERO_AUTHORIZE_URL,
    tokenUrl: config.tokenUrl ?? XERO_TOKEN_URL,
    revokeUrl: config.revokeUrl ?? XERO_REVOKE_URL,
    tenancy: 'connections',
    refreshTokenUnusedSeconds: XERO_REFRESH_TOKEN_UNUSED_SECONDS,
    connectionsUrl: config.connectionsUrl ?? XERO_CONNECTIONS_URL,
    scopes: xeroConsentScopes(config.scopes ?? 'granular', {
      bankDocuments: config.transit?.createBankDocuments === true,
      evidence: config.evidence === 'attach',
    }),
    ...(config.redirectUri === undefined ? {} : { redirectUri: config.redirectUri }),
    ...(config.refreshToken === undefined ? {} : { configRefreshToken: config.refreshToken }),
    ...((config.tenantId ?? '') === '' ? {} : { configuredTenantId: config.tenantId }),
  };
}

export function quickbooksConsent(config: QuickBooksDestinationConfig): VendorConsent {
  return {
    destination: 'quickbooks',
    service: 'QuickBooks',
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authorizeUrl: config.authorizeUrl ?? INTUIT_ENDPOINTS.authorizeEndpoint,
    tokenUrl: config.tokenUrl ?? INTUIT_ENDPOINTS.tokenEndpoint,
    revokeUrl: config.revokeUrl ?? INTUIT_ENDPOINTS.revokeEndpoint,
    tenancy: 'realmId',
    revocation: 'intuit-oauth',
    scopes: [QUICKBOOKS_ACCOUNTING_SCOPE],
    companyInfoUrl: (realmId) =>
      `${config.apiUrl ?? QUICKBOOKS_API_URLS[config.environment]}/v3/company/${encodeURIComponent(realmId)}/companyinfo/${encodeURIComponent(realmId)}?minorversion=${QUICKBOOKS_MINOR_VERSION}`,
    ...(config.redirectUri === undefined ? {} : { redirectUri: config.redirectUri }),
    ...(config.refreshToken === undefined ? {} : { configRefreshToken: config.refreshToken }),
    // developer.intuit.com, "Set app redirect URIs": production redirect URIs must be https (a sandbox's own authorizeUrl is not Intuit's).
    ...(config.environment === 'production' && config.authorizeUrl === undefined
      ? { httpsRedirectOnly: { setting: 'destinations.quickbooks.environment: production' } }
      : {}),
  };
}
