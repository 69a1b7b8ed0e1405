import { assertNever } from '../../src/rules/index.js';
import type { DeliveryFault, FakeReply } from '../fake-kit/index.js';
import type { XeroTenant, XeroFakeFault } from './tenant.js';

/** The per-tenant allowances (in flight, per minute, per day), the app's per minute, and the failures a test injects. */

/** Counts the call against the tenant's allowances, or says which one it would break. */
export function admit(tenant: XeroTenant): FakeReply | undefined {
  const { now, limits, minuteWindow, dayWindow, appMinuteWindow, tooManyRequests } = tenant;
  const at = now();
  if (tenant.inFlight >= limits.concurrent) return tooManyRequests('concurrent', undefined);
  if (dayWindow.count(at) >= limits.perDay) return tooManyRequests('day', dayWindow.secondsUntilSlot(at));
  if (minuteWindow.count(at) >= limits.perMinute) return tooManyRequests('minute', minuteWindow.secondsUntilSlot(at));
  if (appMinuteWindow.count(at) >= limits.appPerMinute)
    return tooManyRequests('appminute', appMinuteWindow.secondsUntilSlot(at));
  minuteWindow.add(at);
  dayWindow.add(at);
  appMinuteWindow.add(at);
  return undefined;
}

export function injectedReply(tenant: XeroTenant, fault: XeroFakeFault): FakeReply | DeliveryFault {
  const { tooManyRequests, serverError } = tenant;
  switch (fault.kind) {
    case 'rate-limit': {
      const retryAfter =
        fault.problem === 'concurrent' ? undefined : (fault.retryAfterSeconds ?? (fault.problem === 'day' ? 3600 : 60));
      return tooManyRequests(fault.problem, retryAfter);
    }
    case 'server-error':
      return serverError(fault.status);
    case 'drop-before-commit':
    case 'drop-after-commit':
    case 'slow':
      return fault;
    default:
      return assertNever(fault);
  }
}
