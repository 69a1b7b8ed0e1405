import {
  AuthError,
  DailyLimitError,
  LockedPeriodError,
  MissingScopeError,
  OutcomeUnknownError,
  RateLimitedError,
  RequestRejectedError,
  UpstreamError,
} from '../../errors.js';
import type { Exchange, FaultWording, RetryWaits } from '../../http/index.js';
import type { RenderedEntry } from '../../rules/index.js';
import type { DeliveryOutcome } from '../destination-client.js';
import { transientBackoffMs } from '../destination-retry.js';
import { xeroErrorText, type XeroFailure } from './xero-failure.js';
import { xeroScopeFor } from './xero-scopes.js';
import { MONTH_NAMES } from '../csv/date-format.js';

/** Xero's waits: a 429 its Retry-After, else a second for the concurrent limit and a minute for the minute limit; a transient failure 1, 2, 4 … s. */
export const XERO_WAITS: RetryWaits = {
  backoffMs: transientBackoffMs,
  throttledMs: (limit) => (limit === 'concurrent' ? 1_000 : 60_000),
};

/** Xero's texts for a journal dated in a locked period ("… currently set at 31-Jan-2024"). */
const LOCKED_PERIOD = /lock date, currently set at (\d{1,2})-([A-Za-z]{3})-(\d{4})/;

/** A failed xero-node call as the retry decision reads it; Xero tells a missing scope (AuthorizationUnsuccessful) from a bad token. */
export function xeroExchange(failure: XeroFailure, redact: (text: string) => string): Exchange {
  if (failure.kind === 'no-reply') return { kind: 'no-reply', mayHaveReachedServer: !failure.neverSent };
  const missingScope =
    failure.status === 401 && redact(xeroErrorText(failure.body)).startsWith('AuthorizationUnsuccessful');
  return { kind: 'reply', status: failure.status, headers: failure.headers, missingScope };
}

interface XeroCallContext {
  what: string;
  tenantId: string;
  scopes: 'granular' | 'broad' | undefined;
  nowMs: number;
  redact: (text: string) => string;
}

/** The errors of a retry decision on one failed Xero call, in Xero's words. */
export function xeroWording(failure: XeroFailure, context: XeroCallContext): FaultWording {
  const { what } = context;
  const detail =
    failure.kind === 'no-reply'
      ? context.redact(failure.message)
      : `HTTP ${failure.status}: ${context.redact(xeroErrorText(failure.body))}`;
  return {
    gaveUp: (cause) => {
      if (cause.kind === 'outcome-unknown') return new OutcomeUnknownError('Xero', what, detail);
      if (cause.kind === 'missing-scope')
        return new MissingScopeError('Xero', what, xeroScopeFor(what, context.scopes ?? 'granular'));
      if (cause.kind === 'daily-limit')
        return new DailyLimitError(
          'Xero',
          new Date(context.nowMs + (cause.retryAfterMs ?? untilNextUtcDay(context.nowMs))),
        );
      if (cause.kind === 'forbidden') {
        const text = failure.kind === 'reply' ? context.redact(xeroErrorText(failure.body)) : detail;
        return new AuthError(
          'Xero',
          `${what} was forbidden (${text}); is organisation ${context.tenantId || '(custom connection)'} connected to this app?`,
        );
      }
      return new UpstreamError('Xero', `${what}: ${detail}`);
    },
    exhausted: (cause) => {
      if (cause.kind === 'throttled')
        return new RateLimitedError(
          'Xero',
          cause.retryAfterMs,
          `${what}: the ${cause.limit ?? 'minute'} limit kept answering 429`,
        );
      return new UpstreamError('Xero', `${what}: ${detail}`, failure.kind === 'reply' ? failure.status : undefined);
    },
    reason: (cause) => {
      if (cause.kind === 'throttled') return `rate limited (${cause.limit ?? 'minute'} limit)`;
      return failure.kind === 'reply' ? `HTTP ${failure.status}` : detail;
    },
  };
}

/** A journal Xero refused: dated in a locked period a LockedPeriodError (with the lock date its text names), else its validation errors. */
export function xeroJournalRefusal(
  entry: RenderedEntry,
  problems: readonly string[],
  redact: (text: string) => string,
): DeliveryOutcome {
  const locked = problems.map((problem) => LOCKED_PERIOD.exec(problem)).find((match) => match !== null);
  return {
    status: 'refused',
    error: locked
      ? new LockedPeriodError('Xero', entry.id, entry.date, lockDateFromText(locked))
      : new RequestRejectedError(
          'Xero',
          200,
          redact(`entry ${entry.id}: ${problems.join('; ') || 'refused without a reason'}`),
        ),
  };
}

/** "31-Jan-2024" → "2024-01-31". */
function lockDateFromText(match: RegExpExecArray): string | undefined {
  const month = MONTH_NAMES.findIndex((name) => name.toLowerCase() === (match[2] ?? '').toLowerCase());
  if (month < 0) return undefined;
  return `${match[3]}-${String(month + 1).padStart(2, '0')}-${(match[1] ?? '').padStart(2, '0')}`;
}

/** Xero's day allowance is rolling; without a Retry-After, the next UTC midnight is a safe time to say. */
function untilNextUtcDay(nowMs: number): number {
  const next = new Date(nowMs);
  next.setUTCHours(24, 0, 0, 0);
  return next.getTime() - nowMs;
}
