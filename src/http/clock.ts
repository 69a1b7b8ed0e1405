/**
 * Time as the HTTP layer sees it. Injected so that backoff, Retry-After and the
 * rate limiter can be tested without waiting: a fake clock's sleep just moves now().
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or at once when `cut` aborts (its timer then cleared: nothing keeps the process up). */
  sleep(ms: number, cut?: AbortSignal): Promise<void>;
}

export function createSystemClock(): Clock {
  return {
    now: () => Date.now(),
    sleep: (ms, cut) =>
      new Promise((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, ms));
        cut?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      }),
  };
}
