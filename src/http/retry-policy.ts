/** How hard the HTTP layer tries before giving up: bounded both in attempts and in total time. */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** No retry starts whose backoff would end later than this after the first attempt began. */
  maxTotalMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  maxTotalMs: 120_000,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
};

/** Answers worth another try: 429 (a refusal to start) and the 5xx a busy or restarting server gives. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/**
 * Whether a failed attempt may be sent again. A 429 and a connection that never carried the
 * request are always safe; a 5xx, a reset or a timeout may come after the server acted on it,
 * so only a request the caller marked idempotent (a read, a write carrying an idempotency key
 * the server honours) goes again: sending a POST twice must not book it twice.
 */
export function maySendAgain(
  failure: { status: number } | { mayHaveReachedServer: boolean },
  idempotent: boolean,
): boolean {
  if ('status' in failure) return failure.status === 429 || idempotent;
  return !failure.mayHaveReachedServer || idempotent;
}

/** The exponential ceiling min(max, base × 2^retry): with base 500 ms, 500, 1000, 2000, 4000 ms … */
export function backoffCeilingMs(retry: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
}

/**
 * Exponential backoff with full jitter: a uniform draw in [0, backoffCeilingMs). `random` is
 * injected so tests can pin the draw (random = () => 1 gives exactly the ceiling).
 */
export function backoffDelayMs(
  retry: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number,
): number {
  return Math.floor(backoffCeilingMs(retry, policy) * random());
}

/**
 * Retry-After as milliseconds from `nowMs`: either delta-seconds ("120") or an HTTP date
 * ("Wed, 21 Oct 2026 07:28:00 GMT"). A date in the past means 0; anything unreadable is ignored.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
