import { connectionNextStep } from '../config/index.js';
import type { AlertItem } from './alert.js';
import { messageOf } from '../errors.js';

/**
 * The destinations a run talks to, by the names the configuration and the destination registry give them
 * ("xero", "journal-api"), handed in by whoever builds the alert: alerts sit below the pipeline and name none.
 */
export type DestinationNames = readonly string[];

/**
 * A failure as an alert item: who failed, the error class, and what to do
 * next. `subject` names the step when the error does not name a service
 * itself ("ledger" for the run as a whole, "xero" for a post); an error of one
 * of `destinations` gets a destination's advice.
 */
export function failureItem(subject: string, error: unknown, destinations: DestinationNames): AlertItem {
  const named = serviceOf(error);
  // A destination's errors name it as its client does ("Xero"); alerts name it as the configuration does.
  const service = named === undefined ? subject : (destinationNamed(named, destinations) ?? named);
  const errorClass = error instanceof Error ? error.name : 'Error';
  return {
    subject: service,
    kind: errorClass,
    message: messageOf(error),
    nextStep: nextStepFor(errorClass, service, destinations),
  };
}

/**
 * The one thing to do about a failure, by its error class (errors.ts groups
 * them by exactly that). By name rather than instanceof, so that a failure a
 * report carries as text ({ error: "DailyLimitError", message }) gets the same advice.
 */
export function nextStepFor(errorClass: string, service: string, destinations: DestinationNames): string {
  switch (errorClass) {
    case 'NotConnectedError':
      // The connection's own advice (config/connection-advice.ts), as doctor, post and status give it.
      return connectionNextStep('not-connected', service.toLowerCase());
    case 'ConsentLapsedError':
      return connectionNextStep('revoked', service.toLowerCase());
    case 'AuthError':
      return destinationNamed(service, destinations) !== undefined
        ? connectionNextStep('app-keys-refused', service.toLowerCase())
        : `check the API key configured for ${service}`;
    case 'DailyLimitError':
    case 'CallBudgetSpentError':
      return `nothing more was sent; run \`ledgerline post ${service}\` after the time the message gives`;
    case 'RateLimitedError':
      return `${service} is rate limiting us; nothing to do unless it keeps happening: the next run tries again`;
    case 'UpstreamError':
      return `${service} is failing or unreachable; check its status page: the next run tries again`;
    case 'OutcomeUnknownError':
      return `the next post looks the entry up at ${service} before sending it again; check ${service} if it keeps happening`;
    case 'InvalidReplyError':
      return 'the reply was quarantined; run `ledgerline status` and `ledgerline reconcile` to see it';
    case 'RequestRejectedError':
      return `${service} refused the request: read its message and check the configuration for ${service}`;
    case 'LockedPeriodError':
      return `ask the accountant to move the lock date in ${service}; the entry stays unposted until then and later posts retry it`;
    case 'RunInProgressError':
      return 'another ledgerline run holds the ledger; nothing to do unless it keeps happening (a killed run is taken over automatically)';
    case 'ConfigError':
    case 'UsageError':
    case 'EnvironmentError':
    case 'LedgerFileError':
      return 'fix the configuration or the path as the message says, then run `ledgerline schedule --once`';
    case 'LedgerStorageError':
      return (
        'the ledger file is damaged or its disk failed; nothing half-written was kept: free space ' +
        'or restore the file from a backup, then run `ledgerline status`'
      );
    case 'LedgerIntegrityError':
      return 'the ledger refused a write that would break it; please report this as a bug with the log of this run';
    default:
      return 'this is a bug in ledgerline: please report it with the log of this run (add --debug for the stack trace)';
  }
}

function serviceOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  // LockedPeriodError names its destination; every other service error its service.
  const named: unknown =
    (error as { service?: unknown; destination?: unknown }).service ?? (error as { destination?: unknown }).destination;
  return typeof named === 'string' && named !== '' ? named : undefined;
}

/**
 * The destination among `destinations` that `service` names, as its client ("Xero", "Journal API") or the
 * configuration ("xero", "journal-api") does: the same letters and digits, whatever the case and the punctuation.
 */
function destinationNamed(service: string, destinations: DestinationNames): string | undefined {
  const letters = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return destinations.find((name) => letters(name) === letters(service));
}
