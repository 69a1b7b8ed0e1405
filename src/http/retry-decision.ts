import { RateLimitedError, UpstreamError } from '../errors.js';
import type { AttemptResult } from './retry-loop.js';
import { maySendAgain, parseRetryAfter, RETRYABLE_STATUSES } from './retry-policy.js';

/**
 * What one attempt at a call came back with, as the retry decision reads it: an HTTP answer, no answer
 * (the connection failed, or a command exited non-zero), or the error a lower layer threw once its own
 * single try was spent (QuickBooks calls through the HTTP layer with one attempt each).
 */
export type Exchange =
  | { kind: 'reply'; status: number; headers: Readonly<Record<string, string>>; missingScope?: boolean }
  | { kind: 'no-reply'; mayHaveReachedServer: boolean }
  | { kind: 'failed'; error: unknown };

interface ExchangeContext {
  /** 1 for the first try. */
  attemptNumber: number;
  /** Whether sending it twice does no harm (a read, a write the server deduplicates by key). */
  idempotent: boolean;
  nowMs: number;
  /** For a caller holding a bearer token: a 401 renews it once, a 403 is final. Without it, 401 and 403 are answers. */
  token?: { renewed: boolean };
}

/** Why another try may help. */
export type RetryCause =
  | { kind: 'throttled'; retryAfterMs: number | undefined; limit: string | undefined }
  | { kind: 'transient'; status: number | undefined; retryAfterMs: number | undefined; error?: UpstreamError }
  | { kind: 'token-refused' };

/** Why no waiting mends it. */
type GiveUpCause =
  | { kind: 'outcome-unknown'; status: number | undefined }
  | { kind: 'forbidden' }
  | { kind: 'missing-scope' }
  | { kind: 'token-refused-again' }
  | { kind: 'daily-limit'; retryAfterMs: number | undefined }
  | { kind: 'thrown'; error: unknown };

export type RetryVerdict =
  { kind: 'answer' } | { kind: 'retry'; cause: RetryCause; waitMs: number } | { kind: 'give-up'; cause: GiveUpCause };

/**
 * How long a caller waits; the only part of a retry a destination configures. `backoffMs(n)` is the wait
 * after attempt n (1 for the first) failed for a transient reason. With `throttledMs`, a 429 waits its Retry-After
 * as given, else `throttledMs(limit)`; without it (the HTTP layer), every wait is the backoff with any
 * Retry-After as a floor under it.
 */
export interface RetryWaits {
  backoffMs(attemptNumber: number): number;
  throttledMs?: (limit: string | undefined) => number;
}

/**
 * The one retry decision of ledgerline, for every client: 429 waits (a refusal to start; Xero's daily
 * limit gives up until tomorrow), 500/502/503/504 and a lost connection wait when sending again is safe
 * (`maySendAgain`) and give up with the outcome unknown when not, a refused bearer token is renewed once,
 * a 403 or a missing scope gives up; everything else is an answer for the caller to read.
 */
export function decideRetry(exchange: Exchange, context: ExchangeContext, waits: RetryWaits): RetryVerdict {
  if (exchange.kind === 'failed') return decideAfterLowerLayer(exchange.error, context, waits);
  if (exchange.kind === 'no-reply') {
    if (!maySendAgain(exchange, context.idempotent))
      return { kind: 'give-up', cause: { kind: 'outcome-unknown', status: undefined } };
    return retry({ kind: 'transient', status: undefined, retryAfterMs: undefined }, context, waits);
  }
  const { status } = exchange;
  if (context.token !== undefined && (status === 401 || status === 403)) return decideAuth(exchange, context.token);
  if (!RETRYABLE_STATUSES.has(status)) return { kind: 'answer' };
  const retryAfterMs = parseRetryAfter(exchange.headers['retry-after'], context.nowMs);
  if (!maySendAgain(exchange, context.idempotent))
    return { kind: 'give-up', cause: { kind: 'outcome-unknown', status } };
  if (status !== 429) return retry({ kind: 'transient', status, retryAfterMs }, context, waits);
  // Xero names the limit it hit: the day's allowance does not come back within any wait we would take.
  const limit = exchange.headers['x-rate-limit-problem']?.toLowerCase();
  if (limit === 'day') return { kind: 'give-up', cause: { kind: 'daily-limit', retryAfterMs } };
  return retry({ kind: 'throttled', retryAfterMs, limit }, context, waits);
}

function decideAuth(exchange: Extract<Exchange, { kind: 'reply' }>, token: { renewed: boolean }): RetryVerdict {
  if (exchange.status === 403) return { kind: 'give-up', cause: { kind: 'forbidden' } };
  // A missing scope and a token already renewed are not mended by another token.
  if (exchange.missingScope === true) return { kind: 'give-up', cause: { kind: 'missing-scope' } };
  if (token.renewed) return { kind: 'give-up', cause: { kind: 'token-refused-again' } };
  return { kind: 'retry', cause: { kind: 'token-refused' }, waitMs: 0 };
}

/** A lower layer that spent its one try: a 429 or a transient failure it was safe to report are waited out here. */
function decideAfterLowerLayer(error: unknown, context: ExchangeContext, waits: RetryWaits): RetryVerdict {
  if (error instanceof RateLimitedError)
    return retry({ kind: 'throttled', retryAfterMs: error.retryAfterMs, limit: undefined }, context, waits);
  // The HTTP layer has already given up with OutcomeUnknownError on a write that may have reached the server.
  if (error instanceof UpstreamError)
    return retry({ kind: 'transient', status: error.status, retryAfterMs: undefined, error }, context, waits);
  return { kind: 'give-up', cause: { kind: 'thrown', error } };
}

function retry(cause: RetryCause, context: ExchangeContext, waits: RetryWaits): RetryVerdict {
  return { kind: 'retry', cause, waitMs: waitFor(cause, context.attemptNumber, waits) };
}

/** The wait before the next attempt, from the caller's configured waits. */
function waitFor(cause: RetryCause, attemptNumber: number, waits: RetryWaits): number {
  if (cause.kind === 'token-refused') return 0;
  const backoff = waits.backoffMs(attemptNumber);
  if (waits.throttledMs === undefined) return Math.max(cause.retryAfterMs ?? 0, backoff);
  if (cause.kind === 'throttled') return cause.retryAfterMs ?? waits.throttledMs(cause.limit);
  return backoff;
}

/** How a client words the errors of a decision: what it throws on giving up, and on a retry what it throws once the budget is spent. */
export interface FaultWording {
  gaveUp(cause: GiveUpCause): Error;
  exhausted(cause: RetryCause): Error;
  /** The retry's reason in log lines ("rate limited (HTTP 429)"). */
  reason(cause: RetryCause): string;
}

/** A verdict as one turn of the retry loop: the answer's value, a wait (with the error if it is the last), or the give-up thrown. */
export function attemptResult<T>(verdict: RetryVerdict, answer: () => T, wording: FaultWording): AttemptResult<T> {
  if (verdict.kind === 'answer') return { kind: 'done', value: answer() };
  if (verdict.kind === 'give-up') throw wording.gaveUp(verdict.cause);
  return {
    kind: 'wait',
    waitMs: verdict.waitMs,
    failure: wording.exhausted(verdict.cause),
    reason: wording.reason(verdict.cause),
  };
}
