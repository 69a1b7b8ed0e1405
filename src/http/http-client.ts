import type { Dispatcher } from 'undici';
import { OutcomeUnknownError, RateLimitedError, UpstreamError } from '../errors.js';
import type { Clock } from './clock.js';
import { describeNetworkFailure, type NetworkFailure } from './network-failure.js';
import type { Throttle } from './throttle.js';
import { retryLoop } from './retry-loop.js';
import {
  attemptResult,
  decideRetry,
  type Exchange,
  type FaultWording,
  type RetryCause,
  type RetryWaits,
} from './retry-decision.js';
import { backoffDelayMs, type RetryPolicy } from './retry-policy.js';
import { undici } from './undici.js';

export interface HttpClientOptions {
  /** Who we are talking to, as errors name it: the source or destination id. */
  service: string;
  /** Per attempt: connecting, waiting for the answer's headers, and reading its body each get this long. */
  timeoutMs: number;
  retry: RetryPolicy;
  /** Passed before every attempt, retries included. */
  rateLimiter?: Throttle;
  clock: Clock;
  /** Draw in [0, 1) for the backoff jitter; Math.random unless a test pins it. */
  random?: () => number;
  /** Removes secrets from any text that leaves this client (error messages, log lines). */
  redact: (text: string) => string;
  /** Retry and give-up notices, already redacted. */
  log?: (line: string) => void;
  /** undici dispatcher; by default an Agent owned (and closed) by this client. */
  dispatcher?: Dispatcher;
  /** Ends a retry's wait at once when `signal` aborts (SIGTERM): the request then throws `stopped()`, not sent again. */
  stop?: { signal: AbortSignal; stopped: () => Error } | undefined;
}

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** Text, or bytes (a multipart upload with a file in it). */
  body?: string | Uint8Array;
  /**
   * Whether sending it twice does no harm. Defaults by method (POST and PATCH are not).
   * A request that is not idempotent is never sent again once it may have reached the server.
   */
  idempotent?: boolean;
  /** What the request does, for messages ("multiStatus"); defaults to "METHOD /path". */
  what?: string;
  /** Sees every answer received, those about to be retried included, before anything reads it. */
  onReply?: (reply: HttpReply) => void | Promise<void>;
}

export interface HttpReply {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  bodyText: string;
}

interface HttpCounters {
  /** Attempts sent, retries included. */
  requests: number;
  retries: number;
  /** 429 answers received. */
  rateLimited: number;
  /** 500/502/503/504 answers received. */
  serverErrors: number;
  networkErrors: number;
  /** Time spent in backoff sleeps. */
  backoffMs: number;
}

export interface HttpClient {
  readonly service: string;
  /**
   * Sends a request, retrying 429 always, and 500/502/503/504 and network failures for idempotent
   * requests (a write that may have reached the server is never sent twice), within the retry policy.
   * Any other status comes back for the caller to interpret. Throws RateLimitedError or
   * UpstreamError past the budget, OutcomeUnknownError when a non-idempotent request may
   * have been carried out.
   */
  request(request: HttpRequest): Promise<HttpReply>;
  counters(): HttpCounters;
  /** The same redaction this client applies, for callers building their own messages. */
  redact(text: string): string;
  /** Closes the connections this client opened (not an injected dispatcher). */
  close(): Promise<void>;
}

const NON_IDEMPOTENT_METHODS = new Set(['POST', 'PATCH']);
/** Errors that mean our request was malformed, not that the network failed: retrying cannot help. */
const PROGRAMMING_ERROR_CODES = new Set([
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'ERR_INVALID_URL',
  'UND_ERR_INVALID_RETURN_VALUE',
]);

type AttemptOutcome = { kind: 'reply'; reply: HttpReply } | { kind: 'network'; failure: NetworkFailure };

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { timeoutMs } = options;
  const ownedAgent = options.dispatcher
    ? undefined
    : new (undici().Agent)({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const client: ClientParts = {
    options,
    random: options.random ?? Math.random,
    dispatcher: options.dispatcher ?? ownedAgent!,
    counters: { requests: 0, retries: 0, rateLimited: 0, serverErrors: 0, networkErrors: 0, backoffMs: 0 },
  };
  return {
    service: options.service,
    request: (request) => send(client, request),
    counters: () => ({ ...client.counters }),
    redact: options.redact,
    close: async () => {
      await ownedAgent?.close();
    },
  };
}

/** What every request of one client shares: its options, its connections and its counters. */
interface ClientParts {
  options: HttpClientOptions;
  random: () => number;
  dispatcher: Dispatcher;
  counters: HttpCounters;
}

/** One request through the one retry loop: each attempt throttled, its reply handed to `onReply`, retried as decideRetry says. */
async function send(client: ClientParts, request: HttpRequest): Promise<HttpReply> {
  const { service, timeoutMs, retry, rateLimiter, clock, redact } = client.options;
  const { random, dispatcher, counters } = client;
  const method = request.method.toUpperCase();
  const what = request.what ?? `${method} ${new URL(request.url).pathname}`;
  const idempotent = request.idempotent ?? !NON_IDEMPOTENT_METHODS.has(method);
  // Full jitter spreads clients out; a Retry-After is a floor we never undercut.
  const waits: RetryWaits = { backoffMs: (attemptNumber) => backoffDelayMs(attemptNumber - 1, retry, random) };
  let last: { outcome: AttemptOutcome; cause: RetryCause } | undefined;
  return retryLoop<HttpReply>(
    async (attemptNumber) => {
      await rateLimiter?.acquire();
      const outcome = await attempt({ ...request, method }, dispatcher, timeoutMs, counters);
      if (outcome.kind === 'reply') await request.onReply?.(outcome.reply);
      const exchange: Exchange =
        outcome.kind === 'reply'
          ? { kind: 'reply', status: outcome.reply.status, headers: outcome.reply.headers }
          : { kind: 'no-reply', mayHaveReachedServer: outcome.failure.mayHaveReachedServer };
      const verdict = decideRetry(exchange, { attemptNumber, idempotent, nowMs: clock.now() }, waits);
      if (outcome.kind === 'reply' && verdict.kind !== 'answer')
        counters[outcome.reply.status === 429 ? 'rateLimited' : 'serverErrors'] += 1;
      if (verdict.kind === 'retry') last = { outcome, cause: verdict.cause };
      return attemptResult(
        verdict,
        () => (outcome.kind === 'reply' ? outcome.reply : undefined)!,
        wordingFor(outcome, what, service, redact),
      );
    },
    {
      clock,
      maxAttempts: retry.maxAttempts,
      maxTotalMs: retry.maxTotalMs,
      total: 'elapsed',
      stop: client.options.stop,
      onWait: (wait, attemptNumber) => {
        client.options.log?.(
          redact(`${service}: ${what}: ${wait.reason} on attempt ${attemptNumber}; retrying in ${wait.waitMs} ms`),
        );
        counters.retries += 1;
        counters.backoffMs += wait.waitMs;
      },
      exhausted: (wait, attemptNumber, limit) => {
        const budget =
          limit === 'attempts'
            ? `${attemptNumber} attempts`
            : `${attemptNumber} attempts; waiting ${wait.waitMs} ms more would pass the ${retry.maxTotalMs} ms limit`;
        const error = last
          ? giveUp(service, last.outcome, last.cause, redact(`${what}: ${wait.reason} after ${budget}`))
          : wait.failure;
        client.options.log?.(redact(error.message));
        return error;
      },
    },
  );
}

function describeOutcome(outcome: AttemptOutcome): string {
  if (outcome.kind === 'reply')
    return outcome.reply.status === 429 ? 'rate limited (HTTP 429)' : `HTTP ${outcome.reply.status}`;
  return `${outcome.failure.description} (${outcome.failure.code})`;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function isProgrammingError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && PROGRAMMING_ERROR_CODES.has(code);
}

/** One request on the wire: its reply, or the network failure that stopped it (a programming error is thrown). */
async function attempt(
  request: HttpRequest,
  dispatcher: Dispatcher,
  timeoutMs: number,
  counters: HttpCounters,
): Promise<AttemptOutcome> {
  counters.requests += 1;
  try {
    const response = await undici().request(request.url, {
      method: request.method as Dispatcher.HttpMethod,
      headers: request.headers,
      body: request.body,
      dispatcher,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const bodyText = await response.body.text();
    return {
      kind: 'reply',
      reply: { status: response.statusCode, headers: flattenHeaders(response.headers), bodyText },
    };
  } catch (error) {
    if (isProgrammingError(error)) throw error;
    counters.networkErrors += 1;
    return { kind: 'network', failure: describeNetworkFailure(error) };
  }
}

/** The HTTP layer's words for a decision: a write that may have been carried out is OutcomeUnknownError, a spent retry RateLimitedError or UpstreamError. */
function wordingFor(
  outcome: AttemptOutcome,
  what: string,
  service: string,
  redact: (text: string) => string,
): FaultWording {
  const reason = (): string => describeOutcome(outcome);
  return {
    gaveUp: (cause) => {
      // A 429 naming the day's limit: no wait within this run mends it.
      if (cause.kind !== 'outcome-unknown') return giveUp(service, outcome, undefined, redact(`${what}: ${reason()}`));
      // A 5xx means the server (or a proxy before it) got the request and may have acted on it.
      const detail =
        outcome.kind === 'reply'
          ? `HTTP ${outcome.reply.status}`
          : redact(`${outcome.failure.description}, ${outcome.failure.code}`);
      return new OutcomeUnknownError(service, redact(what), detail);
    },
    exhausted: (cause) => giveUp(service, outcome, cause, redact(`${what}: ${reason()}`)),
    reason,
  };
}

function giveUp(service: string, outcome: AttemptOutcome, cause: RetryCause | undefined, detail: string): Error {
  const retryAfterMs = cause !== undefined && cause.kind !== 'token-refused' ? cause.retryAfterMs : undefined;
  if (outcome.kind === 'reply' && outcome.reply.status === 429)
    return new RateLimitedError(service, retryAfterMs, detail);
  return new UpstreamError(service, detail, outcome.kind === 'reply' ? outcome.reply.status : undefined);
}
