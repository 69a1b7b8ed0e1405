import { AuthError, LockedPeriodError, RateLimitedError, RequestRejectedError, UpstreamError } from '../../errors.js';
import type { FaultWording, RetryWaits } from '../../http/index.js';
import type { RenderedEntry } from '../../rules/index.js';
import type { DeliveryOutcome } from '../destination-client.js';
import { transientBackoffMs } from '../destination-retry.js';
import { isClosedBooksFault, quickbooksFaultText, type QuickbooksFault } from './quickbooks-wire.js';

/** Intuit: "wait 60 seconds before retrying" a 429, which may come without Retry-After. */
const THROTTLE_WAIT_MS = 60_000;

/** QuickBooks' waits: a 429 its Retry-After or Intuit's 60 s, a transient failure 1, 2, 4 … s. */
export const QUICKBOOKS_WAITS: RetryWaits = { backoffMs: transientBackoffMs, throttledMs: () => THROTTLE_WAIT_MS };

/** The errors of a retry decision on a QuickBooks call: a 403 names the company, a spent 429 budget says so. */
export function quickbooksWording(what: string, realmId: string): FaultWording {
  return {
    gaveUp: (cause) => {
      if (cause.kind === 'forbidden')
        return new AuthError(
          'QuickBooks',
          `${what} was forbidden (HTTP 403); is company ${realmId} connected to this app?`,
        );
      // What the HTTP layer threw and no wait mends (OutcomeUnknownError for a write): as it came.
      if (cause.kind === 'thrown') return cause.error as Error;
      return new UpstreamError('QuickBooks', `${what}: ${cause.kind}`);
    },
    exhausted: (cause) => {
      if (cause.kind === 'throttled')
        return new RateLimitedError('QuickBooks', cause.retryAfterMs, `${what}: kept answering 429`);
      return (cause.kind === 'transient' ? cause.error : undefined) ?? new UpstreamError('QuickBooks', what);
    },
    reason: (cause) =>
      cause.kind === 'throttled'
        ? 'throttled (HTTP 429)'
        : cause.kind === 'transient' && cause.error
          ? cause.error.message
          : cause.kind,
  };
}

/** An entry QuickBooks refused: in closed books a LockedPeriodError (with the close date it holds), else the Fault's words. */
export function quickbooksRefusal(
  entry: RenderedEntry,
  fault: QuickbooksFault,
  status: number,
  context: { bookCloseDate: string | undefined; redact: (text: string) => string },
): DeliveryOutcome {
  if (isClosedBooksFault(fault))
    return {
      status: 'refused',
      error: new LockedPeriodError('QuickBooks', entry.id, entry.date, context.bookCloseDate),
    };
  return {
    status: 'refused',
    error: new RequestRejectedError(
      'QuickBooks',
      status,
      context.redact(`entry ${entry.id}: ${quickbooksFaultText(fault)}`),
    ),
  };
}

/** A whole request refused: the Fault's words, or that there was none. */
export function quickbooksRequestRejected(
  what: string,
  status: number,
  fault: QuickbooksFault | undefined,
  redact: (text: string) => string,
): RequestRejectedError {
  return new RequestRejectedError(
    'QuickBooks',
    status,
    redact(`${what}: ${fault ? quickbooksFaultText(fault) : 'no Fault in the reply'}`),
  );
}
