import { z } from 'zod';
import { AuthError } from '../../errors.js';
import type { HttpClient } from '../../http/index.js';
import type { TokenGrant } from '../access-tokens.js';
import { requestTokens, tokenGrantOf, tokenGrantReply } from '../token-request.js';
import type { VendorConsent } from './vendor-consent.js';

/** A code's grant always carries a refresh token, and says the scopes granted. */
const codeGrantSchema = tokenGrantReply.extend({
  refresh_token: z.string().min(1),
  scope: z.string().optional(),
});

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
  const grant = await requestTokens(http, {
    service: vendor.service,
    endpoint: vendor,
    form: {
      grant_type: 'authorization_code',
      code: exchange.code,
      redirect_uri: exchange.redirectUri,
      code_verifier: exchange.codeVerifier,
    },
    called: 'code exchange',
    what: 'code exchange',
    idempotent: false,
    reply: codeGrantSchema,
    refused: (code) =>
      new AuthError(
        vendor.service,
        `the token endpoint refused the code (${code}); ${exchangeHint(code, vendor.destination)}`,
      ),
  });
  return { ...tokenGrantOf(grant), ...(grant.scope === undefined ? {} : { scope: grant.scope }) };
}

function exchangeHint(code: string, destination: string): string {
  if (code === 'invalid_client' || code === 'unauthorized_client')
    return `check destinations.${destination}.clientId and clientSecret against the app's keys`;
  if (code === 'invalid_grant')
    return 'the code was used already, expired, or the redirect URI differs from the one registered; run connect again';
  return 'run connect again';
}
