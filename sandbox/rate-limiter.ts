/**
 * The seed's "1000 req/min per IP": fixed one-minute windows (aligned to the
 * clock's minutes) per bucket, a bucket being one client IP at one service.
 * A refused request learns how many seconds remain in its window.
 */
export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface RateLimiter {
  take(bucket: string, now: Date): RateDecision;
  /** How many requests were refused so far. */
  refusedCount(): number;
}

const WINDOW_MS = 60_000;
/** Buckets of past windows are dropped once this many exist, so a scan of many clients cannot grow memory forever. */
const PRUNE_AT = 10_000;

export function createRateLimiter(perMinute: number): RateLimiter {
  if (!Number.isSafeInteger(perMinute) || perMinute < 1)
    throw new RangeError(`the rate limit must be a positive whole number of requests per minute, got ${perMinute}`);
  const windows = new Map<string, { start: number; count: number }>();
  let refused = 0;
  return {
    take(bucket, now) {
      const time = now.getTime();
      const start = time - (time % WINDOW_MS);
      if (windows.size >= PRUNE_AT) for (const [key, window] of windows) if (window.start < start) windows.delete(key);
      const window = windows.get(bucket);
      if (window === undefined || window.start !== start) {
        windows.set(bucket, { start, count: 1 });
        return { allowed: true };
      }
      if (window.count < perMinute) {
        window.count += 1;
        return { allowed: true };
      }
      refused += 1;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((start + WINDOW_MS - time) / 1000)) };
    },
    refusedCount: () => refused,
  };
}
