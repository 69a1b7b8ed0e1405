import type { Clock } from './clock.js';

/**
 * The one throttle module: every limit ledgerline keeps on its own calls to a server. Each client
 * configures what its server counts: a token bucket (the panels' requests a minute, with a burst),
 * a rolling window (Xero and Intuit count calls in the last minute or second), and a cap on calls
 * in flight at once. All sleep on the injected clock, so tests and benches never wait.
 */

/** Anything a request passes before it is sent: resolves when one more may go. */
export interface Throttle {
  acquire(): Promise<void>;
}

export interface RateLimit {
  /** The most requests sent in any 60-second window. */
  requestsPerMinute: number;
  /** How many may go back to back after a quiet spell; must be below requestsPerMinute. */
  burst: number;
}

/**
 * A token bucket, one per service. It holds `burst` tokens and refills at
 * (requestsPerMinute − burst) per minute, so a full bucket plus a minute of refill
 * never exceeds requestsPerMinute: with { 1000, burst 10 } at most 10 + 990 = 1000
 * requests fall in any minute, which keeps a sync under a panel's 1000/min limit.
 * Tokens are reserved before sleeping, so concurrent callers queue fairly.
 */
export function createRateLimiter(limit: RateLimit, clock: Clock): Throttle {
  if (!(limit.burst >= 1 && limit.requestsPerMinute > limit.burst)) {
    throw new RangeError(
      `rate limit needs 1 ≤ burst < requestsPerMinute, got burst ${limit.burst}, ${limit.requestsPerMinute}/min`,
    );
  }
  const refillPerMs = (limit.requestsPerMinute - limit.burst) / 60_000;
  let tokens = limit.burst;
  let updatedAt = clock.now();
  return {
    async acquire() {
      const now = clock.now();
      tokens = Math.min(limit.burst, tokens + (now - updatedAt) * refillPerMs);
      updatedAt = now;
      tokens -= 1;
      if (tokens >= 0) return;
      await clock.sleep(Math.ceil(-tokens / refillPerMs));
    },
  };
}

/**
 * At most `calls` in any `windowMs`, as Xero and Intuit count them: a rolling window, not a refilling bucket.
 * A rolling-window limit: with 60 a minute, a run may spend all 60 at once
 * and then one more each time a call from a minute ago falls out of the
 * window, so it uses the whole allowance without ever passing it. Calls are
 * counted when a slot is granted, so concurrent callers queue in order.
 */
export function createCallWindow(
  limit: { calls: number; windowMs: number },
  clock: Clock,
  /** Told before each wait for a slot, so that a run that pauses for a minute says why. */
  onWait?: (waitMs: number) => void,
  /** Ends a wait at once when `signal` aborts: acquire then rejects with `stopped()`, and grants no slot. */
  stop?: { signal: AbortSignal; stopped: () => Error },
): Throttle {
  if (!Number.isSafeInteger(limit.calls) || limit.calls < 1)
    throw new RangeError(`a call window needs at least 1 call, got ${limit.calls}`);
  const granted: number[] = [];
  let queue: Promise<void> = Promise.resolve();
  const take = async (): Promise<void> => {
    for (;;) {
      const now = clock.now();
      while (granted.length > 0 && granted[0]! <= now - limit.windowMs) granted.shift();
      if (granted.length < limit.calls) {
        granted.push(now);
        return;
      }
      if (stop?.signal.aborted) throw stop.stopped();
      const waitMs = granted[0]! + limit.windowMs - now;
      onWait?.(waitMs);
      await clock.sleep(waitMs, stop?.signal);
    }
  };
  return {
    acquire() {
      const turn = queue.then(take);
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}

/** At most `limit` calls at once; the rest queue in order. */
interface InFlightLimit {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function createInFlightLimit(limit: number): InFlightLimit {
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new RangeError(`an in-flight limit must be a whole number ≥ 1, got ${limit}`);
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    async run(work) {
      if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      else active += 1;
      try {
        return await work();
      } finally {
        // The slot passes straight to the next waiter, so `active` never dips and lets a newcomer jump the queue.
        const next = waiting.shift();
        if (next) next();
        else active -= 1;
      }
    },
  };
}
