import { LedgerIntegrityError } from '../errors.js';
import type { HttpClient, HttpReply, HttpRequest } from '../http/index.js';

/** One reply a close landed, as received: what was asked and what came back. */
export interface StoredReply {
  id: bigint;
  action: string;
  params: Record<string, string>;
  httpStatus: number;
  body: string;
}

/** Request parameters that are credentials, never stored with the raw row and never matched. */
const CREDENTIAL_PARAMS = new Set(['key', 'api_key']);

/**
 * An HttpClient that answers from the raw replies a close landed, so the
 * source clients' own readers interpret them again exactly as on the night
 * (a parser fix then reaches the replayed days). A request is answered with
 * the last reply landed for the same action and parameters: a retried 429
 * followed by a 200 replays as the 200. Nothing leaves the machine.
 */
export function storedRepliesHttp(service: string, what: string, replies: readonly StoredReply[]): HttpClient {
  const byRequest = new Map<string, StoredReply>();
  for (const reply of replies) byRequest.set(requestKey(reply.action, reply.params), reply);
  let requests = 0;
  return {
    service,
    async request(request: HttpRequest): Promise<HttpReply> {
      requests += 1;
      const action = request.what ?? `${request.method} ${new URL(request.url).pathname}`;
      const stored = byRequest.get(requestKey(action, paramsOf(request)));
      if (!stored) {
        throw new LedgerIntegrityError(
          `${service}: ${what} has no stored reply to ${action}, so that close cannot be re-read. ` +
            `An ad-network backfill can start after it; a panel backfill re-reads every close from the first, so report this close`,
        );
      }
      return { status: stored.httpStatus, headers: {}, bodyText: stored.body };
    },
    counters: () => ({ requests, retries: 0, rateLimited: 0, serverErrors: 0, networkErrors: 0, backoffMs: 0 }),
    redact: (text) => text,
    close: async () => undefined,
  };
}

/** What was asked, as the raw row records it: query and form parameters, credentials left out. */
function paramsOf(request: HttpRequest): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of new URL(request.url).searchParams) params[name] = value;
  const contentType =
    Object.entries(request.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  if (typeof request.body === 'string' && contentType.startsWith('application/x-www-form-urlencoded')) {
    for (const [name, value] of new URLSearchParams(request.body)) params[name] = value;
  }
  for (const name of CREDENTIAL_PARAMS) delete params[name];
  return params;
}

function requestKey(action: string, params: Record<string, string>): string {
  return JSON.stringify([action, Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
}
