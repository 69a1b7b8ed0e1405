import { z } from 'zod';
import { connectionNextStep, type ConnectionSubject } from '../config/index.js';
import { AuthError, InvalidReplyError, UpstreamError } from '../errors.js';
import { createHttpClient, readJson, readWire, type HttpClient, type HttpReply } from '../http/index.js';
import { createAccessTokens, type AccessTokens, type TokenGrant } from './access-tokens.js';
import { clientAuthentication } from './client-authentication.js';
import { connectionError } from './connection-state.js';
import type { DestinationCallCounts } from './destination-client.js';
import { DEFAULT_CALL_TIMEOUT_MS, type DestinationClientDependencies } from './destination-client-options.js';

/** Where a destination's app refreshes its tokens (RFC 6749 §6), with its keys. */
export interface OAuthTokenEndpoint {
  tokenUrl: string;
  clientId: string;
  /** Absent for an app without a secret (PKCE only): it can only refresh what `ledgerline connect` obtained. */
  clientSecret: string | undefined;
}

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

const grantReplySchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/)]),
  refresh_token: z.string().min(1).optional(),
  x_refresh_token_expires_in: z.union([z.number(), z.string().regex(/^\d+$/)]).optional(),
});
const refusalSchema = z.object({ error: z.string() });

/**
 * The refresh_token grant (RFC 6749 §6), the app authenticated as client-authentication.ts does. A refused refresh
 * token (invalid_grant) means the consent is gone: connect again; a refused app names its keys. No token is ever in
 * the text of an error.
 */
async function requestRefreshGrant(
  http: HttpClient,
  endpoint: OAuthTokenEndpoint,
  subject: ConnectionSubject,
  refreshToken: string | undefined,
): Promise<TokenGrant> {
  if (refreshToken === undefined) throw connectionError(subject, 'not-connected');
  const client = clientAuthentication(endpoint.clientId, endpoint.clientSecret);
  const reply = await http.request({
    method: 'POST',
    url: endpoint.tokenUrl,
    headers: { ...client.headers, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, ...client.form }).toString(),
    idempotent: true,
    what: 'token request (refresh_token)',
  });
  const json = readJson(reply.bodyText);
  if (reply.status === 400 || reply.status === 401) {
    const refusal = json.ok ? readWire(refusalSchema, json.value) : undefined;
    const code = refusal?.ok ? refusal.value.error : `HTTP ${reply.status}`;
    if (code === 'invalid_client' || code === 'unauthorized_client')
      throw new AuthError(
        subject.service,
        `the token endpoint refused the app (${code}); ${connectionNextStep('app-keys-refused', subject.destination)}`,
      );
    throw connectionError(subject, 'revoked');
  }
  if (reply.status !== 200)
    throw new UpstreamError(subject.service, `token request answered HTTP ${reply.status}`, reply.status);
  const grant = json.ok ? readWire(grantReplySchema, json.value) : json;
  if (!grant.ok) throw new InvalidReplyError(subject.service, 'the token request', grant.reason);
  const { access_token, expires_in, refresh_token, x_refresh_token_expires_in } = grant.value;
  return {
    accessToken: access_token,
    expiresInSeconds: Number(expires_in),
    ...(refresh_token === undefined ? {} : { refreshToken: refresh_token }),
    ...(x_refresh_token_expires_in === undefined
      ? {}
      : { refreshTokenExpiresInSeconds: Number(x_refresh_token_expires_in) }),
  };
}
