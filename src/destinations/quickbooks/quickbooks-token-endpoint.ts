import OAuthClient from 'intuit-oauth';
import { z } from 'zod';
import { connectionError } from '../connection-state.js';
import { QUICKBOOKS_SUBJECT } from './quickbooks-config.js';
import { AuthError, InvalidReplyError, UpstreamError } from '../../errors.js';
import type { TokenGrant } from '../access-tokens.js';

/**
 * Intuit's OAuth endpoints, the same for both environments (intuit-oauth's
 * own defaults). They are set again before every token request, because
 * intuit-oauth keeps them in process-wide statics that another client in the
 * same process may have pointed elsewhere.
 */
export const INTUIT_ENDPOINTS = {
  authorizeEndpoint: 'https://appcenter.intuit.com/connect/oauth2',
  tokenEndpoint: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
  revokeEndpoint: 'https://developer.api.intuit.com/v2/oauth2/tokens/revoke',
  userInfoEndpoint: 'https://accounts.platform.intuit.com/v1/openid_connect/userinfo',
} as const;

const grantSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  x_refresh_token_expires_in: z.number().int().positive().optional(),
});

export interface QuickbooksTokenEndpoint {
  clientId: string;
  clientSecret: string;
  environment: 'sandbox' | 'production';
  /** Replaces Intuit's token endpoint (sandbox fakes, tests); the other three stay Intuit's. */
  tokenUrl?: string;
}

/** A token requester on intuit-oauth, its own file logging off. */
export function createQuickbooksTokenRequester(
  endpoint: QuickbooksTokenEndpoint,
): (refreshToken: string | undefined) => Promise<TokenGrant> {
  // redirectUri is only used by the consent flow, which ledgerline does not run.
  const oauth = new OAuthClient({
    clientId: endpoint.clientId,
    clientSecret: endpoint.clientSecret,
    environment: endpoint.environment,
    redirectUri: 'http://127.0.0.1/ledgerline-does-not-redirect',
    logging: false,
  });
  return async (refreshToken) => {
    if (refreshToken === undefined) {
      // QuickBooks issues tokens only against a refresh token: without one, nothing is connected.
      throw connectionError(QUICKBOOKS_SUBJECT, 'not-connected');
    }
    oauth.setAuthorizeURLs({
      ...INTUIT_ENDPOINTS,
      ...(endpoint.tokenUrl === undefined ? {} : { tokenEndpoint: endpoint.tokenUrl }),
    });
    let json: unknown;
    try {
      const reply = await oauth.refreshUsingToken(refreshToken);
      json = reply.json ?? reply.getJson();
    } catch (error) {
      throw tokenFailure(error);
    }
    const grant = grantSchema.safeParse(json);
    if (!grant.success)
      throw new InvalidReplyError(
        'QuickBooks',
        'the token request',
        'no access_token, refresh_token and expires_in in the reply',
      );
    return {
      accessToken: grant.data.access_token,
      expiresInSeconds: grant.data.expires_in,
      refreshToken: grant.data.refresh_token,
      ...(grant.data.x_refresh_token_expires_in === undefined
        ? {}
        : { refreshTokenExpiresInSeconds: grant.data.x_refresh_token_expires_in }),
    };
  };
}

/**
 * intuit-oauth wraps a refused grant in an Error whose `error` is the OAuth
 * code (invalid_grant, invalid_client) and keeps the HTTP answer on
 * `authResponse`; only the code and the status are read, never the body.
 */
function tokenFailure(error: unknown): Error {
  const wrapped = error as { error?: unknown; authResponse?: { response?: { status?: unknown } } } | undefined;
  const code = typeof wrapped?.error === 'string' ? wrapped.error : '';
  const status = wrapped?.authResponse?.response?.status;
  // OAuth 2.0 (RFC 6749 §5.2): invalid_client, answered 401, is the app's own id or secret; invalid_grant is the refresh token.
  if (code === 'invalid_client' || code === 'unauthorized_client' || (code === '' && status === 401)) {
    return new AuthError(
      'QuickBooks',
      `the token endpoint refused the app's client id or client secret (${code || 'HTTP 401'}); ` +
        `check destinations.quickbooks.clientId and clientSecret against the app's keys in the Intuit ` +
        `developer portal`,
    );
  }
  if (code === 'invalid_grant' || status === 400) {
    return connectionError(QUICKBOOKS_SUBJECT, 'revoked');
  }
  const detail = /^[\w .:-]{1,120}$/.test(code) ? code : 'no answer';
  return new UpstreamError(
    'QuickBooks',
    `token request failed: ${detail}`,
    typeof status === 'number' ? status : undefined,
  );
}
