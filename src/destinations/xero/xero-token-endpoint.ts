import { AuthError } from '../../errors.js';
import type { HttpClient } from '../../http/index.js';
import type { TokenGrant } from '../access-tokens.js';
import { connectionNextStep } from '../../config/index.js';
import { requestTokens, tokenGrantOf, tokenGrantReply, type OAuthTokenEndpoint } from '../token-request.js';
import { connectionError } from '../connection-state.js';
import { XERO_SUBJECT } from './xero-config.js';

/** Xero's identity token endpoint; xero-node hard-codes it, so ledgerline calls it itself. */
export const XERO_TOKEN_URL = 'https://identity.xero.com/connect/token';

/** Xero's refresh tokens expire after 60 days unused; each rotation starts the 60 days again (developer.xero.com, OAuth 2.0 token types). */
export const XERO_REFRESH_TOKEN_UNUSED_SECONDS = 60 * 24 * 60 * 60;

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
  const grant = tokenGrantOf(
    await requestTokens(http, {
      service: 'Xero',
      endpoint,
      form: { grant_type: grantType, ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }) },
      called: 'token request',
      what: `token request (${grantType})`,
      // A token request changes nothing that a repeat would double; at worst it spends a refresh token again within its grace.
      idempotent: true,
      reply: tokenGrantReply,
      refused: (code) => grantRefusal(grantType, code),
    }),
  );
  // Xero does not say how long a refresh token lasts: 60 days unused, started again by each rotation.
  return grant.refreshToken === undefined
    ? grant
    : { ...grant, refreshTokenExpiresInSeconds: XERO_REFRESH_TOKEN_UNUSED_SECONDS };
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
