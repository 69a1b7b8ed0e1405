import type { Clock } from '../../src/http/index.js';

/** The most one sleep really waits: a server, a worker or a timer of the test still gets its turn between tries. */
const REAL_SLEEP_MS = 5;

/**
 * A clock whose sleeps pass at once: a sleep really waits a few ms at most, and now() (the system's, plus what the
 * sleeps skipped) has reached the sleep's end when it resolves. What reads the clock (a retry's time bound, a rate
 * limit's refill, a poll's deadline) sees the whole wait pass, so the retries, their count and what they end in
 * are a real run's; only the seconds a failing server's backoff costs are gone. Concurrent sleeps each end at their
 * own time, not at the sum of theirs. For `runLedgerline(args, { clock })` where the waiting is not the subject.
 */
export function fastForwardClock(): Clock {
  let skippedMs = 0;
  const now = (): number => Date.now() + skippedMs;
  return {
    now,
    sleep: (ms, cut) =>
      new Promise((resolve) => {
        if (cut?.aborted) return resolve();
        const endsAt = now() + Math.max(0, ms);
        const timer = setTimeout(
          () => {
            skippedMs = Math.max(skippedMs, endsAt - Date.now());
            resolve();
          },
          Math.min(Math.max(0, ms), REAL_SLEEP_MS),
        );
        cut?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      }),
  };
}
