import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The addresses that mean "this machine only": the console needs no access token on them. */
const LOOPBACK: ReadonlySet<string> = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host);
}

/** Equal secrets, compared in constant time: a wrong guess learns nothing from how long it took. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The Host header names the console's own address (on loopback, 127.0.0.1, localhost or [::1] with its
 * port): a page on another site that points a name of its own at 127.0.0.1 (DNS rebinding) is refused.
 */
export function hostAllowed(headers: IncomingHttpHeaders, hosts: readonly string[]): boolean {
  return headers.host !== undefined && hosts.includes(headers.host.toLowerCase());
}

/**
 * A state-changing request comes from the console's own pages: the browser says so in Sec-Fetch-Site
 * ("same-origin") or in an Origin equal to the console's; a request saying neither is refused too.
 * Example: a form on https://evil.example posting here carries Origin https://evil.example → refused.
 */
export function sameOrigin(headers: IncomingHttpHeaders, origins: readonly string[]): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = headers.origin;
  if (origin !== undefined) return origins.includes(origin.toLowerCase());
  return site === 'same-origin';
}

/** One cookie's value from a Cookie header, or undefined. */
export function cookieValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  for (const part of (headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** What every answer carries: nothing may be fetched from elsewhere, framed, cached or sniffed. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  // Not no-referrer: under it Chromium sends "Origin: null" with the console's own form posts.
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
};
