import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The shared secret a sender proves it knows (DESIGN §4 "Webhooks"): a token
 * in the path (POST /webhooks/<source>/<token>), or an HMAC-SHA256 of the raw
 * body bytes in a header ("sha256=<hex>"). Both compare in constant time.
 */
export type WebhookAuth = { mode: 'path-token'; token: string } | { mode: 'hmac'; secret: string; header?: string };

export const DEFAULT_SIGNATURE_HEADER = 'X-Ledgerline-Signature';

const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

export function signatureMatches(secret: string, body: Uint8Array, headerValue: string | undefined): boolean {
  const match = headerValue === undefined ? null : SIGNATURE.exec(headerValue.trim());
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(match[1]!, 'hex'));
}

/** Compares digests, so neither the content nor the length of the token leaks through timing. */
export function tokenMatches(token: string, given: string): boolean {
  return timingSafeEqual(createHash('sha256').update(token).digest(), createHash('sha256').update(given).digest());
}
