import { AuthError, StopRequestedError } from '../errors.js';
import {
  type Clock,
  createCallWindow,
  attemptResult,
  decideRetry,
  type RetryVerdict,
  type RetryLoopOptions,
  type WaitResult,
  backoffCeilingMs,
} from '../http/index.js';
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

/**
 * How a destination call drives the shared retry loop: its budget counts only the time waited
 * (a 429 asks for a minute at a time), and each wait is logged, redacted, as "… waiting N s before attempt M".
 */
export function destinationRetryOptions(
  what: string,
  options: {
    clock: Clock;
    budget: WaitBudget;
    redact: (text: string) => string;
    log?: ((line: string) => void) | undefined;
    /** The service a stop names. */
    service: string;
    /** The process's stop: a wait (a 429's Retry-After) then ends at once with StopRequestedError. */
    stopSignal?: AbortSignal | undefined;
  },
): RetryLoopOptions {
  const { log, redact } = options;
  return {
    clock: options.clock,
    maxAttempts: options.budget.maxAttempts,
    maxTotalMs: options.budget.maxTotalWaitMs,
    total: 'waits',
    // A 429's Retry-After is often a minute: SIGTERM must not sit it out, and the refused call is not sent again.
    stop: destinationStop(options.service, options.stopSignal, 'to try a call again'),
    ...(log
      ? {
          onWait: (wait: WaitResult, attemptNumber: number) =>
            log(
              redact(
                `${what}: ${wait.reason}; waiting ${Math.ceil(wait.waitMs / 1000)} s before attempt ${attemptNumber + 1}`,
              ),
            ),
        }
      : {}),
  };
}

/**
 * A destination's pace: at most its calls in any rolling minute (Xero 60, Intuit 500), each wait said before it is
 * taken, since a post of more journals than that allows would otherwise pause for up to a minute in silence.
 * Example: 61 calls to Xero in 20 s → "Xero: 60 calls in the last minute, its limit; the next waits 40 s".
 */
export function destinationPace(
  service: string,
  callsPerMinute: number,
  clock: Clock,
  {
    log,
    stopSignal,
    what = 'calls',
  }: {
    log?: ((message: string) => void) | undefined;
    stopSignal?: AbortSignal | undefined;
    /** What the window counts, as the wait says it: calls, or (QuickBooks' 40 a minute) writes. */
    what?: string;
  },
): ReturnType<typeof createCallWindow> {
  return createCallWindow(
    { calls: callsPerMinute, windowMs: 60_000 },
    clock,
    (waitMs) =>
      log?.(
        `${service}: ${callsPerMinute} ${what} in the last minute, its limit; the next waits ${Math.ceil(waitMs / 1000)} s`,
      ),
    // A stop (SIGTERM from systemd or a container) must not sit out the minute: the waiting call is never sent.
    destinationStop(service, stopSignal),
  );
}

/** A wait's stop for `service`: when `signal` aborts the wait ends with StopRequestedError (none without a signal). */
export function destinationStop(
  service: string,
  signal: AbortSignal | undefined,
  waitingFor?: string,
): { signal: AbortSignal; stopped: () => Error } | undefined {
  return signal && { signal, stopped: () => new StopRequestedError(service, waitingFor) };
}

/** Backoff for transient failures that sent no Retry-After: 1, 2, 4, 8 … s, at most 30 s. */
export function transientBackoffMs(attemptNumber: number): number {
  return backoffCeilingMs(attemptNumber - 1, { baseDelayMs: 1000, maxDelayMs: 30_000 });
}

/** Whether a verdict is about the bearer token (renew it, or give up after a renewal): `renewalOn401` settles those. */
export function concernsToken(verdict: RetryVerdict): boolean {
  return (
    (verdict.kind === 'retry' && verdict.cause.kind === 'token-refused') ||
    (verdict.kind === 'give-up' && verdict.cause.kind === 'token-refused-again')
  );
}

/**
 * The token renewal of one call to `service`: the first 401 renews the access
 * token and tries again at once; a 401 to the renewed token is an AuthError,
 * which no waiting mends (both decided by `decideRetry`). `detail` says what the refusal said ("HTTP 401").
 */
export function renewalOn401(
  tokens: AccessTokens,
  service: string,
  what: string,
): (refusedToken: string, detail: string) => Promise<WaitResult> {
  const token = { renewed: false };
  return async (refusedToken, detail) => {
    const verdict = decideRetry(
      { kind: 'reply', status: 401, headers: {} },
      { attemptNumber: 1, idempotent: true, nowMs: 0, token },
      { backoffMs: () => 0 },
    );
    const result = attemptResult<never>(
      verdict,
      () => {
        throw new AuthError(service, detail);
      },
      {
        gaveUp: () => new AuthError(service, `${what} was refused again after a token renewal (${detail})`),
        exhausted: () => new AuthError(service, detail),
        reason: () => 'the access token was refused; renewed it',
      },
    );
    token.renewed = true;
    await tokens.renew(refusedToken);
    return result as WaitResult;
  };
}
