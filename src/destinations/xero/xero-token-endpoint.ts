import { z } from 'zod';
import { AuthError, InvalidReplyError, UpstreamError } from '../../errors.js';
import { type HttpClient, readJson, readWire } from '../../http/index.js';
import type { TokenGrant } from '../access-tokens.js';
import { connectionNextStep } from '../../config/index.js';
import { clientAuthentication } from '../client-authentication.js';
import type { OAuthTokenEndpoint } from '../oauth-transport.js';
import { connectionError } from '../connection-state.js';
import { XERO_SUBJECT } from './xero-config.js';

/** Xero's identity token endpoint; xero-node hard-codes it, so ledgerline calls it itself. */
export const XERO_TOKEN_URL = 'https://identity.xero.com/connect/token';

/** Xero's refresh tokens expire after 60 days unused; each rotation starts the 60 days again (developer.xero.com, OAuth 2.0 token types). */
export const XERO_REFRESH_TOKEN_UNUSED_SECONDS = 60 * 24 * 60 * 60;

const grantReplySchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/)]),
  refresh_token: z.string().min(1).optional(),
});

const errorReplySchema = z.object({ error: z.string(), error_description: z.string().optional() });

/**
 * One token request: the refresh_token grant when there is a refresh token
 * (Xero rotates it: the reply carries the next one), else client_credentials
 * (a custom connection). A refusal (invalid_grant, invalid_client) is an
 * AuthError naming Xero; its text never carries a token.
 */
export async function requestXeroGrant(
  http: HttpClient,
  endpoint: OAuthTokenEndpoint,
  refreshToken: string | undefined,
): Promise<TokenGrant> {
  const grantType = refreshToken === undefined ? 'client_credentials' : 'refresh_token';
  if (grantType === 'client_credentials' && endpoint.clientSecret === undefined) {
    throw new AuthError(
      'Xero',
      'this app has no client secret (a PKCE app) and no organisation is connected; run `ledgerline connect xero`',
    );
  }
  const client = clientAuthentication(endpoint.clientId, endpoint.clientSecret);
  const form = new URLSearchParams({ grant_type: grantType, ...client.form });
  if (refreshToken !== undefined) form.set('refresh_token', refreshToken);
  const reply = await http.request({
    method: 'POST',
    url: endpoint.tokenUrl,
    headers: { ...client.headers, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
    // A token request changes nothing that a repeat would double; at worst it spends a refresh token again within its grace.
    idempotent: true,
    what: `token request (${grantType})`,
  });
  const json = readJson(reply.bodyText);
  if (reply.status === 400 || reply.status === 401) {
    const refusal = json.ok ? readWire(errorReplySchema, json.value) : undefined;
    const code = refusal?.ok ? refusal.value.error : `HTTP ${reply.status}`;
    throw grantRefusal(grantType, code);
  }
  if (reply.status !== 200)
    throw new UpstreamError('Xero', `token request answered HTTP ${reply.status}`, reply.status);
  if (!json.ok) throw new InvalidReplyError('Xero', 'the token request', json.reason);
  const grant = readWire(grantReplySchema, json.value);
  if (!grant.ok) throw new InvalidReplyError('Xero', 'the token request', grant.reason);
  return {
    accessToken: grant.value.access_token,
    expiresInSeconds: Number(grant.value.expires_in),
    ...(grant.value.refresh_token === undefined
      ? {}
      : { refreshToken: grant.value.refresh_token, refreshTokenExpiresInSeconds: XERO_REFRESH_TOKEN_UNUSED_SECONDS }),
  };
}

/**
 * A refused grant in the words of its state (RFC 6749 §5.2): invalid_client is the app's keys, or a custom
 * connection's; any other refusal of a refresh token (invalid_grant) means the consent is gone: connect again.
 */
function grantRefusal(grantType: 'client_credentials' | 'refresh_token', code: string): Error {
  const refused = `the token endpoint refused the ${grantType} grant (${code})`;
  if (grantType === 'client_credentials')
    return new AuthError('Xero', `${refused}; ${connectionNextStep('custom-connection-refused', 'xero')}`);
  if (code === 'invalid_client' || code === 'unauthorized_client')
    return new AuthError('Xero', `${refused}; ${connectionNextStep('app-keys-refused', 'xero')}`);
  return connectionError(XERO_SUBJECT, 'revoked');
}
