import OAuthClient from 'intuit-oauth';
import { UpstreamError } from '../../errors.js';
import type { HttpClient } from '../../http/index.js';
import { INTUIT_ENDPOINTS } from '../quickbooks/quickbooks-token-endpoint.js';
import { clientAuthentication } from '../client-authentication.js';
import type { VendorConsent } from './vendor-consent.js';

/**
 * Revokes a refresh token at the vendor, which ends the whole grant (its access
 * tokens too). Xero: a form POST of `token` to its revocation endpoint
 * (developer.xero.com/documentation/guides/oauth2/auth-flow, "Revoking
 * tokens"), and any vendor without a `revocation` of its own. Intuit: intuit-oauth's revoke(), a JSON POST of `token`, with its
 * endpoints pointed at the configured ones. Both authenticate the app with Basic (a Xero app without a secret: its client_id).
 */
export async function revokeRefreshToken(http: HttpClient, vendor: VendorConsent, refreshToken: string): Promise<void> {
  if (vendor.revocation === 'intuit-oauth') return revokeWithIntuitOauth(vendor, refreshToken);
  const client = clientAuthentication(vendor.clientId, vendor.clientSecret);
  const reply = await http.request({
    method: 'POST',
    url: vendor.revokeUrl,
    headers: { ...client.headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: refreshToken, ...client.form }).toString(),
    idempotent: true,
    what: 'token revocation',
  });
  if (reply.status !== 200)
    throw new UpstreamError(
      vendor.service,
      `the revocation endpoint answered HTTP ${reply.status}; the tokens were kept, run disconnect again`,
      reply.status,
    );
}

async function revokeWithIntuitOauth(vendor: VendorConsent, refreshToken: string): Promise<void> {
  const oauth = new OAuthClient({
    clientId: vendor.clientId,
    clientSecret: vendor.clientSecret ?? '',
    environment: 'production',
    redirectUri: 'http://localhost/callback',
    logging: false,
  });
  oauth.setAuthorizeURLs({
    ...INTUIT_ENDPOINTS,
    tokenEndpoint: vendor.tokenUrl,
    revokeEndpoint: vendor.revokeUrl,
    authorizeEndpoint: vendor.authorizeUrl,
  });
  try {
    await oauth.revoke({ refresh_token: refreshToken });
  } catch (error) {
    const status = (error as { authResponse?: { response?: { status?: unknown } } } | undefined)?.authResponse?.response
      ?.status;
    throw new UpstreamError(
      'QuickBooks',
      `the revocation endpoint refused (${typeof status === 'number' ? `HTTP ${status}` : 'no answer'}); the tokens were kept, run disconnect again`,
      typeof status === 'number' ? status : undefined,
    );
  }
}
