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

/** An address or name as a Host header writes it: an IPv6 address in brackets, lower case. */
function hostName(name: string): string {
  const lower = name.toLowerCase();
  return lower.includes(':') && !lower.startsWith('[') ? `[${lower}]` : lower;
}

/**
 * The Host headers the console answers to, each with its port: the address it listens on, the names given
 * with --allow-host, and, listening on every address (0.0.0.0 or ::), each address of this machine; on
 * loopback, 127.0.0.1, localhost and [::1]. Any other name is refused (DNS rebinding: a page on another site
 * that points a name of its own at this machine sends that name as Host).
 * Example: --host 0.0.0.0 --allow-host books.office.lan on port 8790 on a machine at 192.168.1.20 answers
 * Host 192.168.1.20:8790, books.office.lan:8790 and 127.0.0.1:8790, and refuses evil.example:8790.
 */
export function consoleHosts(
  listening: string,
  port: number,
  allowed: readonly string[],
  machineAddresses: readonly string[],
): string[] {
  const everywhere = listening === '0.0.0.0' || listening === '::';
  const names = [
    ...(everywhere ? [] : [listening]),
    ...(isLoopback(listening) || everywhere ? [...LOOPBACK] : []),
    ...(everywhere ? machineAddresses : []),
    ...allowed,
  ].map(hostName);
  // Port 80 is left out of the Host header by browsers.
  const withPort = [...new Set(names)].map((name) => `${name}:${port}`);
  return port === 80 ? [...withPort, ...new Set(names)] : withPort;
}

/** The Host header names one of the console's own addresses or allowed names (see consoleHosts). */
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

/**
 * What every answer carries: nothing may be fetched from elsewhere, framed, cached or sniffed, and only the
 * page's own scripts and styles run, each carrying this answer's `nonce` (an injected <script> has none).
 */
export function securityHeaders(nonce: string): Record<string, string> {
  return {
    'content-security-policy':
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src data:; ` +
      `form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    'x-content-type-options': 'nosniff',
    // Not no-referrer: under it Chromium sends "Origin: null" with the console's own form posts.
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
    'x-frame-options': 'DENY',
  };
}
