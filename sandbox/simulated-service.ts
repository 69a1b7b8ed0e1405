import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReplyHolds } from './reply-holds.js';
import type { FaultInjector, FaultKind, MalformedShape } from './fault-injector.js';
import { jsonText, type JsonValue } from './json-text.js';
import type { RateLimiter } from './rate-limiter.js';
import type { RequestLog } from './request-log.js';

/** The two source APIs the sandbox simulates (the QuickBooks/Xero fakes are separate mounts). */
export const SIMULATED_SERVICES = ['panel', 'payelancer'] as const;
export type SimulatedService = (typeof SIMULATED_SERVICES)[number];

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export interface Reply {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export function jsonReply(status: number, value: JsonValue, headers?: Readonly<Record<string, string>>): Reply {
  return {
    status,
    body: jsonText(value),
    contentType: JSON_CONTENT_TYPE,
    ...(headers === undefined ? {} : { headers }),
  };
}

/** A reply whose JSON text is already written. */
export function jsonTextReply(status: number, body: string): Reply {
  return { status, body, contentType: JSON_CONTENT_TYPE };
}

/** How one service words the errors the gate produces (the panel: {"error"}; the ad network: {"success": false, "error"}). */
export interface ServiceDialect {
  readonly service: SimulatedService;
  error(status: number, message: string): Reply;
}

/** What every simulated service shares: the rate limit, injected faults, the request log, the clock and the sandbox day. */
export interface ServiceGate {
  readonly limiter: RateLimiter;
  readonly faults: FaultInjector;
  readonly log: RequestLog;
  readonly clock: () => Date;
  today(): string;
  /** Replies a test holds back after they are answered (reply-holds.ts). */
  readonly holds?: ReplyHolds;
}

const MAINTENANCE_PAGE =
  '<!DOCTYPE html>\n<html><head><title>Service temporarily unavailable</title></head>' +
  '<body><h1>Service temporarily unavailable</h1><p>The server is down for maintenance. Please try again later.</p></body></html>\n';

/**
 * Answers one request of a simulated service: the per-IP rate limit first,
 * then any injected fault (a delay, and a 429, 502, malformed body or error
 * inside a 200 in place of the real answer), then the service's own answer.
 * Every request is logged without its key.
 */
export async function serveThroughGate(
  gate: ServiceGate,
  dialect: ServiceDialect,
  request: IncomingMessage,
  response: ServerResponse,
  action: string,
  answer: () => Reply,
): Promise<void> {
  const now = gate.clock();
  const decision = gate.limiter.take(`${dialect.service}|${request.socket.remoteAddress ?? 'unknown'}`, now);
  let reply: Reply;
  let fault: FaultKind | undefined;
  if (!decision.allowed) {
    reply = rateLimited(dialect, decision.retryAfterSeconds);
    fault = 'rateLimit';
  } else {
    const taken = gate.faults.take(dialect.service);
    if (taken.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, taken.delayMs));
    const replacement = taken.replacement;
    fault = replacement?.kind;
    switch (replacement?.kind) {
      case 'rateLimit':
        reply = rateLimited(dialect, replacement.retryAfterSeconds);
        break;
      case 'upstreamError':
        reply = dialect.error(502, 'Upstream provider returned an error');
        break;
      case 'errorInside200':
        reply = { ...dialect.error(200, 'Temporary error, please try again later'), status: 200 };
        break;
      case 'malformed':
        reply = malformed(safeAnswer(answer), replacement.shape);
        break;
      case undefined:
        reply = safeAnswer(answer);
        break;
      default: {
        const unexpected: never = replacement;
        throw new RangeError(`unknown fault ${JSON.stringify(unexpected)}`);
      }
    }
  }
  await gate.holds?.pass(dialect.service, action);
  gate.log.record({
    service: dialect.service,
    action,
    method: request.method ?? 'GET',
    path: (request.url ?? '/').split('?')[0] ?? '/',
    status: reply.status,
    time: now.toISOString(),
    day: gate.today(),
    ...(fault === undefined ? {} : { fault }),
  });
  writeReply(response, reply);
}

export function writeReply(response: ServerResponse, reply: Reply): void {
  response.writeHead(reply.status, {
    'content-type': reply.contentType,
    'content-length': Buffer.byteLength(reply.body),
    ...reply.headers,
  });
  response.end(reply.body);
}

function safeAnswer(answer: () => Reply): Reply {
  try {
    return answer();
  } catch (error) {
    return jsonReply(500, { error: `sandbox bug: ${(error as Error).message}` });
  }
}

function rateLimited(dialect: ServiceDialect, retryAfterSeconds: number): Reply {
  const reply = dialect.error(429, 'Rate limit exceeded');
  return { ...reply, status: 429, headers: { ...reply.headers, 'retry-after': String(retryAfterSeconds) } };
}

function malformed(reply: Reply, shape: MalformedShape): Reply {
  if (shape === 'htmlPage') return { status: 200, body: MAINTENANCE_PAGE, contentType: 'text/html; charset=utf-8' };
  return {
    status: 200,
    body: reply.body.slice(0, Math.max(1, Math.floor(reply.body.length / 2))),
    contentType: reply.contentType,
  };
}
