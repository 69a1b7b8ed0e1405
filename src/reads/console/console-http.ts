import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { sameOrigin, sameSecret, securityHeaders } from './console-guard.js';

/** A note and its form fit well inside this; a larger body is refused unread. */
const MAX_FORM_BYTES = 16 * 1024;

/** What a request handler answers with when it refuses: its status and a sentence for the person. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A form posted from a page of this console: its origin and its CSRF token checked before anything in it is read. */
export async function postedForm(
  guard: { origins: readonly string[]; csrfToken: string },
  request: IncomingMessage,
): Promise<URLSearchParams> {
  if (!sameOrigin(request.headers, guard.origins))
    throw new Refusal(403, 'refused: the request did not come from a page of this console');
  const form = new URLSearchParams(await readBody(request));
  if (!sameSecret(form.get('csrf') ?? undefined, guard.csrfToken))
    throw new Refusal(
      403,
      'refused: the form is out of date or did not come from this console; reload the page and try again',
    );
  return form;
}

export function redirect(response: ServerResponse, location: string, headers: Record<string, string> = {}): void {
  response.writeHead(303, { ...securityHeaders(freshNonce()), ...headers, location });
  response.end();
}

/** A CSP nonce for one answer: the page's own scripts and styles carry it. */
export function freshNonce(): string {
  return randomBytes(18).toString('base64url');
}

/** An HTML page written with a fresh nonce, then answered with the headers every answer carries. */
export function answerHtml(
  response: ServerResponse,
  page: (nonce: string) => string,
  status = 200,
  headers: Record<string, string> = {},
): void {
  const nonce = freshNonce();
  const html = page(nonce);
  response.writeHead(status, { ...securityHeaders(nonce), 'content-type': 'text/html; charset=utf-8', ...headers });
  response.end(html);
}

/**
 * The form's text, up to MAX_FORM_BYTES. A larger one is refused with 413 and the rest is read and dropped,
 * so the person sees the page instead of a reset connection (a browser still sending sees no answer).
 */
function readBody(request: IncomingMessage): Promise<string> {
  const tooLarge = () =>
    new Refusal(
      413,
      `the form is larger than ${MAX_FORM_BYTES / 1024} KB, more than a note needs; shorten the note and try again`,
    );
  if (Number(request.headers['content-length'] ?? 0) > MAX_FORM_BYTES) {
    request.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const take = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_FORM_BYTES) return chunks.push(chunk);
      request.off('data', take);
      request.resume();
      return reject(tooLarge());
    };
    request.on('data', take);
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * The response as a stream whose 200 head goes with its first byte: a download that refuses before writing (an
 * account without a number, a text its code page cannot hold) is answered with its refusal, not a 200 cut short.
 */
export function headedOnFirstByte(response: ServerResponse, headers: Record<string, string>): Writable {
  const head = () => {
    if (!response.headersSent) response.writeHead(200, headers);
  };
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      head();
      response.write(chunk, done);
    },
    final(done) {
      head();
      response.end(done);
    },
  });
}
