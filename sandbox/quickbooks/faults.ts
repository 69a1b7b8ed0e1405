import type { DeliveryFault, FakeReply } from '../fake-kit/index.js';
import { assertNever } from '../../src/rules/index.js';
import type { QuickBooksCompany, QuickBooksFakeFault } from './company.js';
import type { IntuitFault, IntuitFaultError } from './entry-checks.js';

/** The Faults the fake sends outside the entry checks, the throttle, and the failures a test injects. */

export const SYSTEM_FAILURE: IntuitFault = {
  type: 'SystemFault',
  Error: [
    {
      Message: 'An application error has occurred while processing your request',
      Detail:
        'System Failure Error: An unexpected error occurred while accessing or saving your data. Please wait a few minutes and try again. If the problem persists, contact customer support.',
      code: '10000',
    },
  ],
};

export function validation(code: string, message: string, detail: string, element: string): IntuitFault {
  const error: IntuitFaultError = { Message: message, Detail: detail, code, element };
  return { type: 'ValidationFault', Error: [error] };
}

export function unsupportedBody(reason: string): IntuitFault {
  return validation(
    '2010',
    'Request has invalid or unsupported property',
    `Property Name:${reason} specified is unsupported or invalid`,
    '',
  );
}

export function objectNotFound(id: string): IntuitFault {
  return validation(
    '610',
    'Object Not Found',
    `Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts. Id=${id}`,
    '',
  );
}

/** The throttle: QuickBooks' concurrent, per-minute and batch-per-minute limits per realm, answered with its 429 Fault. */
export function admit(company: QuickBooksCompany, isBatch: boolean): FakeReply | undefined {
  const { now, limits, minuteWindow, batchWindow, throttled } = company;
  const at = now();
  if (
    company.inFlight >= limits.concurrent ||
    minuteWindow.count(at) >= limits.perMinute ||
    (isBatch && batchWindow.count(at) >= limits.batchPerMinute)
  ) {
    return throttled(company.retryAfterSeconds);
  }
  minuteWindow.add(at);
  if (isBatch) batchWindow.add(at);
  return undefined;
}

export function injectedReply(company: QuickBooksCompany, fault: QuickBooksFakeFault): FakeReply | DeliveryFault {
  const { faultReply, throttled } = company;
  switch (fault.kind) {
    case 'rate-limit':
      return throttled(fault.retryAfterSeconds ?? company.retryAfterSeconds);
    case 'server-error':
      return faultReply(fault.status, SYSTEM_FAILURE);
    case 'fault-in-200':
      return faultReply(200, fault.fault ?? SYSTEM_FAILURE);
    case 'drop-before-commit':
    case 'drop-after-commit':
    case 'slow':
      return fault;
    default:
      return assertNever(fault);
  }
}
