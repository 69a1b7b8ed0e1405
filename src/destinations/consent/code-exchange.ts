import { z } from 'zod';
import { AuthError, InvalidReplyError, UpstreamError } from '../../errors.js';
import { type HttpClient, readJson, readWire } from '../../http/index.js';
import type { TokenGrant } from '../access-tokens.js';
import { clientAuthentication } from '../client-authentication.js';
import type { VendorConsent } from './vendor-consent.js';

/** Seconds, as a JSON number (read exactly, it may arrive as its digits). */
const seconds = z.union([z.number(), z.string().regex(/^\d+$/)]);
const codeGrantSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: seconds,
  x_refresh_token_expires_in: seconds.optional(),
  scope: z.string().optional(),
});
const refusalSchema = z.object({ error: z.string() });

interface CodeExchange {
  code: string;
  /** Exactly the redirect URI the authorize URL carried (RFC 6749 §4.1.3). */
  redirectUri: string;
  codeVerifier: string;
}

/**
 * The authorization_code grant: the code, the exact redirect URI and the PKCE
 * verifier, the app authenticated with HTTP Basic (or, with no secret, its client_id). ledgerline calls the token
 * endpoint itself (undici), as for refreshes: xero-node hard-codes Xero's
 * identity URL, and intuit-oauth's createToken sends no code_verifier.
 * A code is single-use, so the request is never sent twice.
 */
export async function exchangeCode(
  http: HttpClient,
  vendor: VendorConsent,
  exchange: CodeExchange,
): Promise<TokenGrant & { scope?: string }> {
  const client = clientAuthentication(vendor.clientId, vendor.clientSecret);
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: exchange.code,
    redirect_uri: exchange.redirectUri,
    code_verifier: exchange.codeVerifier,
    ...client.form,
  });
  const reply = await http.request({
    method: 'POST',
    url: vendor.tokenUrl,
    headers: { ...client.headers, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
    idempotent: false,
    what: 'code exchange',
  });
  const json = readJson(reply.bodyText);
  if (reply.status === 400 || reply.status === 401) {
    const refusal = json.ok ? readWire(refusalSchema, json.value) : undefined;
    const code = refusal?.ok ? refusal.value.error : `HTTP ${reply.status}`;
    throw new AuthError(
      vendor.service,
      `the token endpoint refused the code (${code}); ${exchangeHint(code, vendor.destination)}`,
    );
  }
  if (reply.status !== 200)
    throw new UpstreamError(vendor.service, `code exchange answered HTTP ${reply.status}`, reply.status);
  if (!json.ok) throw new InvalidReplyError(vendor.service, 'the code exchange', json.reason);
  const grant = readWire(codeGrantSchema, json.value);
  if (!grant.ok) throw new InvalidReplyError(vendor.service, 'the code exchange', grant.reason);
  return {
    accessToken: grant.value.access_token,
    expiresInSeconds: Number(grant.value.expires_in),
    refreshToken: grant.value.refresh_token,
    ...(grant.value.x_refresh_token_expires_in === undefined
      ? {}
      : { refreshTokenExpiresInSeconds: Number(grant.value.x_refresh_token_expires_in) }),
    ...(grant.value.scope === undefined ? {} : { scope: grant.value.scope }),
  };
}

function exchangeHint(code: string, destination: string): string {
  if (code === 'invalid_client' || code === 'unauthorized_client')
    return `check destinations.${destination}.clientId and clientSecret against the app's keys`;
  if (code === 'invalid_grant')
    return 'the code was used already, expired, or the redirect URI differs from the one registered; run connect again';
  return 'run connect again';
}
