import OAuthClient from 'intuit-oauth';
import { z } from 'zod';
import { connectionError } from '../connection-state.js';
import { QUICKBOOKS_SUBJECT, type QuickBooksDestinationConfig } from './quickbooks-config.js';
import { AuthError, InvalidReplyError, UpstreamError } from '../../errors.js';
import type { TokenGrant } from '../access-tokens.js';
import { tokenGrantOf, tokenGrantReply } from '../token-request.js';
import { attemptResult, type Clock, decideRetry, type Exchange, retryLoop } from '../../http/index.js';

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

/** Intuit's grant always carries the next refresh token (it rotates them). */
const grantSchema = tokenGrantReply.extend({ refresh_token: z.string().min(1) });

/** The app's keys and environment; a tokenUrl replaces Intuit's token endpoint (sandbox fakes, tests), the other three stay Intuit's. */
type QuickbooksTokenEndpoint = Pick<
  QuickBooksDestinationConfig,
  'clientId' | 'clientSecret' | 'environment' | 'tokenUrl'
>;

/** How a token request's retries wait: on the client's clock, each said to `log`, and ended at once by `stop`. */
interface TokenRequestWaits {
  clock: Clock;
  log?: ((line: string) => void) | undefined;
  stop?: { signal: AbortSignal; stopped: () => Error } | undefined;
}

/** A token requester on intuit-oauth, its own file logging off. */
export function createQuickbooksTokenRequester(
  endpoint: QuickbooksTokenEndpoint,
  waits: TokenRequestWaits,
): (refreshToken: string | undefined) => Promise<TokenGrant> {
  const refreshOnce = intuitRefresh(endpoint);
  // intuit-oauth's own waits between tries (1, 2, 4 s), now on the client's clock, where a stop reaches them.
  const { maxRetries, retryDelay } = OAuthClient.retryConfig;
  const backoff = { backoffMs: (attemptNumber: number) => retryDelay * 2 ** (attemptNumber - 1) };
  return async (refreshToken) => {
    if (refreshToken === undefined) {
      // QuickBooks issues tokens only against a refresh token: without one, nothing is connected.
      throw connectionError(QUICKBOOKS_SUBJECT, 'not-connected');
    }
    const json = await retryLoop<unknown>(
      async (attemptNumber) => {
        const tried = await refreshOnce(refreshToken);
        if (tried.ok) return { kind: 'done', value: tried.json };
        const { failure } = tried;
        // A token request changes nothing a repeat would double: at worst it spends a refresh token again in its grace.
        const context = { attemptNumber, idempotent: true, nowMs: waits.clock.now() };
        const refused = (): never => {
          throw failure;
        };
        return attemptResult(decideRetry(tried.exchange, context, backoff), refused, {
          gaveUp: () => failure,
          exhausted: () => failure,
          reason: () => failure.message,
        });
      },
      {
        clock: waits.clock,
        maxAttempts: maxRetries + 1,
        maxTotalMs: retryDelay * (2 ** maxRetries - 1),
        total: 'waits',
        stop: waits.stop,
        onWait: (wait, attemptNumber) =>
          waits.log?.(`${wait.reason}; waiting ${Math.ceil(wait.waitMs / 1000)} s before attempt ${attemptNumber + 1}`),
      },
    );
    const grant = grantSchema.safeParse(json);
    if (!grant.success)
      throw new InvalidReplyError(
        'QuickBooks',
        'the token request',
        'no access_token, refresh_token and expires_in in the reply',
      );
    return tokenGrantOf(grant.data);
  };
}

/**
 * One refresh_token grant through intuit-oauth, tried once (its retries wait on setTimeout, where no stop reaches
 * them): the reply's JSON, or the failure in ledgerline's words and what came back, for the retry decision.
 */
function intuitRefresh(
  endpoint: QuickbooksTokenEndpoint,
): (refreshToken: string) => Promise<{ ok: true; json: unknown } | { ok: false; failure: Error; exchange: Exchange }> {
  // redirectUri is only used by the consent flow, which ledgerline does not run.
  const oauth = new OAuthClient({
    clientId: endpoint.clientId,
    clientSecret: endpoint.clientSecret,
    environment: endpoint.environment,
    redirectUri: 'http://127.0.0.1/ledgerline-does-not-redirect',
    logging: false,
  });
  oauth.shouldRetry = () => false;
  return async (refreshToken) => {
    oauth.setAuthorizeURLs({
      ...INTUIT_ENDPOINTS,
      ...(endpoint.tokenUrl === undefined ? {} : { tokenEndpoint: endpoint.tokenUrl }),
    });
    try {
      const reply = await oauth.refreshUsingToken(refreshToken);
      return { ok: true, json: reply.json ?? reply.getJson() };
    } catch (error) {
      return { ok: false, failure: tokenFailure(error), exchange: exchangeOf(error) };
    }
  };
}

/** What intuit-oauth's failure says came back: the HTTP status (and any Retry-After), or no answer at all. */
function exchangeOf(error: unknown): Exchange {
  const response = (error as { authResponse?: { response?: { status?: unknown; headers?: unknown } } } | undefined)
    ?.authResponse?.response;
  if (typeof response?.status !== 'number') return { kind: 'no-reply', mayHaveReachedServer: true };
  const retryAfter: unknown =
    typeof response.headers === 'object' && response.headers !== null
      ? Reflect.get(response.headers, 'retry-after')
      : undefined;
  return {
    kind: 'reply',
    status: response.status,
    headers: typeof retryAfter === 'string' ? { 'retry-after': retryAfter } : {},
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
