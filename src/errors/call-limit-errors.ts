import { EXIT, failure } from './ledgerline-error.js';

/** A service kept answering 429 past our retry budget; wait and run again. */
export class RateLimitedError extends failure('RateLimitedError', EXIT.external, { transient: true }) {
  constructor(
    readonly service: string,
    readonly retryAfterMs: number | undefined,
    detail = 'rate limit exceeded',
  ) {
    super(
      `${service}: ${detail}${retryAfterMs === undefined ? '' : `; retry after ${Math.ceil(retryAfterMs / 1000)} s`}`,
    );
  }
}

/** A destination's daily allowance is spent; the run stops cleanly and says when to resume. */
export class DailyLimitError extends failure('DailyLimitError', EXIT.external, { transient: true }) {
  constructor(
    readonly service: string,
    readonly resumeAt: Date,
  ) {
    super(
      `${service}: the daily API limit is used up; nothing more was sent. Run again after ${resumeAt.toISOString()}`,
    );
  }
}

/**
 * A destination organisation's calls for the UTC day are spent by ledgerline's own count (kept in the ledger) or by
 * the vendor's remaining-call header: the post stops before the vendor refuses it, keeps what it delivered, and the
 * same post resumes where it stopped once the budget resets.
 */
export class CallBudgetSpentError extends failure('CallBudgetSpentError', EXIT.external, { transient: true }) {
  constructor(
    readonly service: string,
    readonly organisation: string,
    readonly perDay: number,
    readonly resetsAt: Date,
  ) {
    super(
      `${service}: today's budget of ${perDay} API calls for organisation ${organisation || '(custom connection)'} is spent; ` +
        `nothing more was sent. It resets at ${resetsAt.toISOString()}: run the same post again then, and it resumes where this one stopped`,
    );
  }
}
