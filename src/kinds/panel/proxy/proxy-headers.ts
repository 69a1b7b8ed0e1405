import type { IncomingHttpHeaders } from 'node:http';

/*
 * Which headers the panel proxy passes on: the caller's, less those about the hop, to the panel;
 * the panel's content type and Retry-After back to the caller.
 */

/** Headers about this hop, not the request: never passed on. accept-encoding is dropped so the reply can be read. */
const HOP_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'content-length',
  'accept-encoding',
  'expect',
]);
/** What the caller gets back besides the body and the status. */
const REPLY_HEADERS = ['content-type', 'retry-after'] as const;

export function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const forwarded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_HEADERS.has(name)) continue;
    forwarded[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return forwarded;
}

export function replyHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of REPLY_HEADERS) {
    const value = headers[name];
    if (value !== undefined) kept[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return kept;
}
