import { connectionNextStep, type ConnectionSubject } from '../config/index.js';
import { AuthError } from '../errors.js';
import { createHttpClient, type HttpClient, type HttpReply } from '../http/index.js';
import { createAccessTokens, type AccessTokens, type TokenGrant } from './access-tokens.js';
import { connectionError } from './connection-state.js';
import { requestTokens, tokenGrantOf, tokenGrantReply, type OAuthTokenEndpoint } from './token-request.js';
import type { DestinationCallCounts } from './destination-client.js';
import { DEFAULT_CALL_TIMEOUT_MS, type DestinationClientDependencies } from './destination-client-options.js';

interface OAuthTransportOptions extends DestinationClientDependencies {
  /** Whose tokens: the token store's key and the words of a connection problem ("no Journal API ledger is connected"). */
  subject: ConnectionSubject;
  endpoint: OAuthTokenEndpoint;
  /** The configuration's refreshToken, if it holds one; otherwise `ledgerline connect` put the tokens in the store. */
  configRefreshToken: string | undefined;
  /** Per call; DEFAULT_CALL_TIMEOUT_MS unless given. */
  timeoutMs?: number;
}

/** One API call: JSON in and out, a write (POST) never sent twice once it may have arrived. */
interface OAuthRequest {
  method: 'GET' | 'POST';
  url: string;
  /** JSON text. */
  body?: string;
  headers?: Record<string, string>;
  /** What the call does, as an error names it: "creating journals". */
  what: string;
}

/**
 * How a destination with an OAuth app reaches its API: each call carries a bearer token from the token store,
 * renewed before it expires and once more after a 401 (the shared single-flight renewal of access-tokens.ts, so a
 * rotated refresh token is stored before it is used), reads retried by the one retry loop, tokens registered for
 * redaction as they arrive. Answers other than a second 401 come back as they are, for the kind to read.
 */
export interface OAuthTransport {
  call(request: OAuthRequest): Promise<HttpReply>;
  readonly tokens: AccessTokens;
  counts(): DestinationCallCounts;
}

export function createOAuthTransport(options: OAuthTransportOptions): OAuthTransport {
  const { subject, clock, redact } = options;
  const http = createHttpClient({
    service: subject.service,
    timeoutMs: options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    retry: { maxAttempts: 3, maxTotalMs: 30_000, baseDelayMs: 250, maxDelayMs: 2_000 },
    clock,
    redact,
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  const tokens = createAccessTokens({
    subject,
    customConnection: false,
    store: options.tokenStore,
    configRefreshToken: options.configRefreshToken,
    requestGrant: (refreshToken) => requestRefreshGrant(http, options.endpoint, subject, refreshToken),
    clock,
    onSecrets: options.onSecrets,
  });
  const counts = { reads: 0, writes: 0 };

  async function send(request: OAuthRequest, token: string): Promise<HttpReply> {
    counts[request.method === 'POST' ? 'writes' : 'reads'] += 1;
    return http.request({
      method: request.method,
      url: request.url,
      headers: {
        accept: 'application/json',
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...request.headers,
        authorization: `Bearer ${token}`,
      },
      ...(request.body === undefined ? {} : { body: request.body }),
      idempotent: request.method === 'GET',
      what: request.what,
    });
  }

  return {
    async call(request) {
      const token = await tokens.current();
      const reply = await send(request, token);
      if (reply.status !== 401) return reply;
      const again = await send(request, await tokens.renew(token));
      if (again.status === 401)
        throw new AuthError(subject.service, `${request.what} was refused (HTTP 401) with a fresh access token`);
      return again;
    },
    tokens,
    counts: () => ({ ...counts }),
  };
}

/**
 * The refresh_token grant (RFC 6749 §6). A refused refresh token (invalid_grant) means the consent is gone: connect
 * again; a refused app names its keys.
 */
async function requestRefreshGrant(
  http: HttpClient,
  endpoint: OAuthTokenEndpoint,
  subject: ConnectionSubject,
  refreshToken: string | undefined,
): Promise<TokenGrant> {
  if (refreshToken === undefined) throw connectionError(subject, 'not-connected');
  const grant = await requestTokens(http, {
    service: subject.service,
    endpoint,
    form: { grant_type: 'refresh_token', refresh_token: refreshToken },
    called: 'token request',
    what: 'token request (refresh_token)',
    idempotent: true,
    reply: tokenGrantReply,
    refused: (code) =>
      code === 'invalid_client' || code === 'unauthorized_client'
        ? new AuthError(
            subject.service,
            `the token endpoint refused the app (${code}); ${connectionNextStep('app-keys-refused', subject.destination)}`,
          )
        : connectionError(subject, 'revoked'),
  });
  return tokenGrantOf(grant);
}
