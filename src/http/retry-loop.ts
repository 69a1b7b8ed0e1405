import type { Clock } from './clock.js';

/** One attempt's result: done, or wait this long and try again (with the error to throw if the budget is spent). */
export type AttemptResult<T> =
  { kind: 'done'; value: T } | { kind: 'wait'; waitMs: number; failure: Error; reason: string };
export type WaitResult = Extract<AttemptResult<never>, { kind: 'wait' }>;

export interface RetryLoopOptions {
  clock: Clock;
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** No wait starts that would bring the total past this. */
  maxTotalMs: number;
  /**
   * What the total counts: `elapsed` is all the time since the first attempt began (the HTTP layer,
   * whose attempts are short), `waits` only the sleeps (destinations, which wait out minute-long limits).
   */
  total: 'elapsed' | 'waits';
  /** Told of every wait before it starts: log lines, counters. */
  onWait?: (wait: WaitResult, attemptNumber: number) => void;
  /** The error thrown once the budget is spent, which limit ran out said; the last wait's failure unless given. */
  exhausted?: (wait: WaitResult, attemptNumber: number, limit: 'attempts' | 'time') => Error;
  /** Ends a wait at once when `signal` aborts (SIGTERM): the loop then throws `stopped()` and tries no more. */
  stop?: { signal: AbortSignal; stopped: () => Error } | undefined;
}

/**
 * The one retry loop of ledgerline (pollUntil below is its plain sibling for waiting on something): runs `attempt` until it is done, sleeping on the injected
 * clock between tries, bounded in attempts and in time. What is worth waiting for is decided
 * once, by `decideRetry` (retry-decision.ts); this loop keeps the count.
 */
export async function retryLoop<T>(
  attempt: (attemptNumber: number) => Promise<AttemptResult<T>>,
  options: RetryLoopOptions,
): Promise<T> {
  const { clock, stop } = options;
  const startedAt = clock.now();
  let waitedMs = 0;
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    const result = await attempt(attemptNumber);
    if (result.kind === 'done') return result.value;
    const spentMs = options.total === 'elapsed' ? clock.now() - startedAt : waitedMs;
    const limit =
      attemptNumber >= options.maxAttempts
        ? 'attempts'
        : spentMs + result.waitMs > options.maxTotalMs
          ? 'time'
          : undefined;
    if (limit !== undefined) throw options.exhausted?.(result, attemptNumber, limit) ?? result.failure;
    if (stop?.signal.aborted) throw stop.stopped();
    options.onWait?.(result, attemptNumber);
    waitedMs += result.waitMs;
    await clock.sleep(result.waitMs, stop?.signal);
    if (stop?.signal.aborted) throw stop.stopped();
  }
}

/** One look of a poll: what it waited for, or the error to throw if the time runs out now. */
type PollLook<T> = { done: true; value: T } | { done: false; timedOut: Error };

interface PollLimits {
  clock: Clock;
  /** How long to wait in all. */
  maxWaitMs: number;
  /** How often to look. */
  pollMs: number;
  /**
   * A notice that what is waited for may have happened (a job announced finished) cuts the sleep before the next look
   * short: `noticed` resolves at one, or when its signal aborts. Each cut adds a look to the bound, `cuts` at most.
   */
  wake?: { cuts: number; noticed(stop: AbortSignal): Promise<void> } | undefined;
}

/**
 * Looks every `pollMs` until `look` has what it waits for: a job finished, a file written. Not a retry, since
 * nothing failed; bounded in looks (one more than fit in the time) and in time, after which the last look's
 * `timedOut` is thrown.
 */
export async function pollUntil<T>(look: () => Promise<PollLook<T>>, limits: PollLimits): Promise<T> {
  const { clock, pollMs, maxWaitMs, wake } = limits;
  const maxLooks = Math.ceil(maxWaitMs / pollMs) + 1 + (wake?.cuts ?? 0);
  const startedAt = clock.now();
  for (let looks = 1; ; looks += 1) {
    const result = await look();
    if (result.done) return result.value;
    if (looks >= maxLooks || clock.now() - startedAt + pollMs > maxWaitMs) throw result.timedOut;
    if (wake === undefined) await clock.sleep(pollMs);
    else await sleepUnlessNoticed(clock, pollMs, wake);
  }
}

/** The poll's sleep, cut short by a notice; whichever comes first, the other is stopped (no timer or listener left). */
async function sleepUnlessNoticed(clock: Clock, ms: number, wake: NonNullable<PollLimits['wake']>): Promise<void> {
  const stop = new AbortController();
  try {
    await Promise.race([clock.sleep(ms, stop.signal), wake.noticed(stop.signal)]);
  } finally {
    stop.abort();
  }
}
