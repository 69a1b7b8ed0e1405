/**
 * Time as the HTTP layer sees it. Injected so that backoff, Retry-After and the
 * rate limiter can be tested without waiting: a fake clock's sleep just moves now().
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export function createSystemClock(): Clock {
  return {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
  };
}
