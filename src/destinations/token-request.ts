import { z } from 'zod';
import { InvalidReplyError, UpstreamError } from '../errors.js';
import { readJson, readWire, type HttpClient } from '../http/index.js';
import type { TokenGrant } from './access-tokens.js';
import { clientAuthentication } from './client-authentication.js';

/** Where a destination's app asks for its tokens, with its keys; no secret for an app that has none (PKCE only). */
export interface OAuthTokenEndpoint {
  tokenUrl: string;
  clientId: string;
  clientSecret: string | undefined;
}

/** Seconds, as a JSON number (read exactly, it may arrive as its digits). */
export const grantSeconds = z.union([z.number(), z.string().regex(/^\d+$/)]);

/** A token endpoint's grant (RFC 6749 §5.1) as ledgerline reads it; Intuit adds how long the refresh token lasts unused. */
export const tokenGrantReply = z.object({
  access_token: z.string().min(1),
  expires_in: grantSeconds,
  refresh_token: z.string().min(1).optional(),
  x_refresh_token_expires_in: grantSeconds.optional(),
});

/** A grant reply as the tokens keep it: seconds as numbers, what the reply left out left out. */
export function tokenGrantOf(grant: z.output<typeof tokenGrantReply>): TokenGrant {
  return {
    accessToken: grant.access_token,
    expiresInSeconds: Number(grant.expires_in),
    ...(grant.refresh_token === undefined ? {} : { refreshToken: grant.refresh_token }),
    ...(grant.x_refresh_token_expires_in === undefined
      ? {}
      : { refreshTokenExpiresInSeconds: Number(grant.x_refresh_token_expires_in) }),
  };
}

const refusalSchema = z.object({ error: z.string() });

/**
 * One grant POSTed to a token endpoint (RFC 6749 §4.1.3, §4.4, §6), the app authenticated as
 * client-authentication.ts does, and its reply read: a refusal (400, 401) is `refused` of its OAuth code, another
 * status an UpstreamError, an unreadable reply an InvalidReplyError, each naming the request as `called`
 * ("code exchange"). No token is ever in the text of an error.
 */
export async function requestTokens<Reply extends z.ZodType>(
  http: HttpClient,
  request: {
    service: string;
    endpoint: OAuthTokenEndpoint;
    form: Record<string, string>;
    called: string;
    what: string;
    idempotent: boolean;
    reply: Reply;
    refused: (code: string) => Error;
  },
): Promise<z.output<Reply>> {
  const client = clientAuthentication(request.endpoint.clientId, request.endpoint.clientSecret);
  const reply = await http.request({
    method: 'POST',
    url: request.endpoint.tokenUrl,
    headers: { ...client.headers, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ ...request.form, ...client.form }).toString(),
    idempotent: request.idempotent,
    what: request.what,
  });
  const json = readJson(reply.bodyText);
  if (reply.status === 400 || reply.status === 401) {
    const refusal = json.ok ? readWire(refusalSchema, json.value) : undefined;
    throw request.refused(refusal?.ok ? refusal.value.error : `HTTP ${reply.status}`);
  }
  if (reply.status !== 200)
    throw new UpstreamError(request.service, `${request.called} answered HTTP ${reply.status}`, reply.status);
  if (!json.ok) throw new InvalidReplyError(request.service, `the ${request.called}`, json.reason);
  const grant = readWire(request.reply, json.value);
  if (!grant.ok) throw new InvalidReplyError(request.service, `the ${request.called}`, grant.reason);
  return grant.value;
}
