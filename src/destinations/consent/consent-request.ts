import { createHash, randomBytes } from 'node:crypto';
import type { VendorConsent } from './vendor-consent.js';

/** One attempt at consent: the values only this run knows, and the URL the person opens. */
interface ConsentRequest {
  /** 256 random bits, base64url: checked on the callback (RFC 6749 §10.12). */
  state: string;
  /** 256 random bits, base64url (43 characters, within RFC 7636's 43–128); sent only to the token endpoint. */
  codeVerifier: string;
  redirectUri: string;
  url: string;
}

/** base64url of SHA-256 of the verifier: RFC 7636's S256 code challenge. */
export function s256Challenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier).digest('base64url');
}

/**
 * The authorize URL with response_type=code, the exact redirect URI, the scopes,
 * the state and the PKCE S256 challenge. PKCE is sent to both vendors: Xero
 * requires it for apps without a secret and accepts it with one; OAuth servers
 * ignore parameters they do not know (RFC 6749 §3.1), so it costs nothing where
 * it is not checked.
 */
export function newConsentRequest(vendor: VendorConsent, redirectUri: string): ConsentRequest {
  const state = randomBytes(32).toString('base64url');
  const codeVerifier = randomBytes(32).toString('base64url');
  const url = new URL(vendor.authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', vendor.clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', vendor.scopes.join(' '));
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', s256Challenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return { state, codeVerifier, redirectUri, url: url.toString() };
}
