import { AuthError } from '../errors.js';
import type { Clock } from '../http/clock.js';
import type { AccessTokens } from './access-tokens.js';

/** How long a destination call may keep waiting on throttles and transient failures before it gives up. */
export interface WaitBudget {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** No wait starts that would bring the total waited past this. */
  maxTotalWaitMs: number;
}

/**
 * 429s are waited out as the destinations ask (Retry-After, or Intuit's
 * 60 s), so the budget is counted in minutes: six attempts with at most
 * five minutes of waiting in all.
 */
export const DEFAULT_WAIT_BUDGET: WaitBudget = { maxAttempts: 6, maxTotalWaitMs: 5 * 60_000 };

/** One attempt's result: done, or wait this long and try again (with the error to throw if the budget is spent). */
export type AttemptResult<T> = { kind: 'done'; value: T } | { kind: 'wait'; waitMs: number; failure: Error; reason: string };
export type WaitResult = Extract<AttemptResult<never>, { kind: 'wait' }>;

/**
 * Runs `attempt` until it is done, sleeping on the injected clock between
 * tries; past the budget it throws the last attempt's failure. Only the
 * caller decides what is worth waiting for: this loop just keeps the count.
 */
export async function withWaits<T>(
  attempt: (attemptNumber: number) => Promise<AttemptResult<T>>,
  options: { clock: Clock; budget: WaitBudget; what: string; log?: (line: string) => void },
): Promise<T> {
  let waitedMs = 0;
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    const result = await attempt(attemptNumber);
    if (result.kind === 'done') return result.value;
    if (attemptNumber >= options.budget.maxAttempts || waitedMs + result.waitMs > options.budget.maxTotalWaitMs) throw result.failure;
    options.log?.(`${options.what}: ${result.reason}; waiting ${Math.ceil(result.waitMs / 1000)} s before attempt ${attemptNumber + 1}`);
    waitedMs += result.waitMs;
    await options.clock.sleep(result.waitMs);
  }
}

/** Backoff for transient failures that sent no Retry-After: 1, 2, 4, 8 … s, at most 30 s. */
export function transientBackoffMs(attemptNumber: number): number {
  return Math.min(30_000, 1000 * 2 ** (attemptNumber - 1));
}

/**
 * The token renewal of one call to `service`: the first 401 renews the access
 * token and tries again at once; a 401 to the renewed token is an AuthError,
 * which no waiting mends. `detail` says what the refusal said ("HTTP 401").
 */
export function renewalOn401(tokens: AccessTokens, service: string, what: string): (refusedToken: string, detail: string) => Promise<WaitResult> {
  let renewed = false;
  return async (refusedToken, detail) => {
    if (renewed) throw new AuthError(service, `${what} was refused again after a token renewal (${detail})`);
    renewed = true;
    await tokens.renew(refusedToken);
    return { kind: 'wait', waitMs: 0, failure: new AuthError(service, detail), reason: 'the access token was refused; renewed it' };
  };
}
