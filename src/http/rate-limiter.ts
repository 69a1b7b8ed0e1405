import type { Clock } from './clock.js';

export interface RateLimit {
  /** The most requests sent in any 60-second window. */
  requestsPerMinute: number;
  /** How many may go back to back after a quiet spell; must be below requestsPerMinute. */
  burst: number;
}

export interface RateLimiter {
  /** Resolves when one more request may be sent, sleeping on the injected clock if needed. */
  acquire(): Promise<void>;
  /** Requests that had to wait, and the total they waited. */
  counters(): { waits: number; waitedMs: number };
}

/**
 * A token bucket, one per service. It holds `burst` tokens and refills at
 * (requestsPerMinute − burst) per minute, so a full bucket plus a minute of refill
 * never exceeds requestsPerMinute: with { 1000, burst 10 } at most 10 + 990 = 1000
 * requests fall in any minute, which keeps a sync under a panel's 1000/min limit.
 * Tokens are reserved before sleeping, so concurrent callers queue fairly.
 */
export function createRateLimiter(limit: RateLimit, clock: Clock): RateLimiter {
  if (!(limit.burst >= 1 && limit.requestsPerMinute > limit.burst)) {
    throw new RangeError(`rate limit needs 1 ≤ burst < requestsPerMinute, got burst ${limit.burst}, ${limit.requestsPerMinute}/min`);
  }
  const refillPerMs = (limit.requestsPerMinute - limit.burst) / 60_000;
  let tokens = limit.burst;
  let updatedAt = clock.now();
  let waits = 0;
  let waitedMs = 0;
  return {
    async acquire() {
      const now = clock.now();
      tokens = Math.min(limit.burst, tokens + (now - updatedAt) * refillPerMs);
      updatedAt = now;
      tokens -= 1;
      if (tokens >= 0) return;
      const waitMs = Math.ceil(-tokens / refillPerMs);
      waits += 1;
      waitedMs += waitMs;
      await clock.sleep(waitMs);
    },
    counters: () => ({ waits, waitedMs }),
  };
}
