import type { FaultKind } from './fault-injector.js';
import type { SimulatedService } from './simulated-service.js';

/**
 * What the simulated services were asked, for tests and for a user trying a
 * configuration. It holds the action and path only: never the key, the query
 * string or the body.
 */
export interface RequestLogEntry {
  readonly service: SimulatedService;
  /** The panel's `action`, or the ad network's endpoint ("stats"). */
  readonly action: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** ISO date-time from the sandbox clock. */
  readonly time: string;
  /** The sandbox day the request was answered for. */
  readonly day: string;
  /** Set when the reply was an injected fault or the rate limit. */
  readonly fault?: FaultKind;
}

export interface RequestLog {
  record(entry: RequestLogEntry): void;
  entries(service?: SimulatedService): readonly RequestLogEntry[];
  /** Empties the log and returns how many entries it held. */
  clear(): number;
  /** Entries recorded since the last clear, including those dropped for capacity. */
  total(): number;
}

export function createRequestLog(capacity = 10_000): RequestLog {
  // Up to twice the capacity is kept and the oldest dropped in one go, so a full log does not
  // copy itself on every request (a night of 2,000 status requests on a log of 10,000 did).
  let entries: RequestLogEntry[] = [];
  let total = 0;
  const held = () => (entries.length > capacity ? entries.slice(entries.length - capacity) : entries);
  return {
    record(entry) {
      total += 1;
      entries.push(entry);
      if (entries.length >= 2 * capacity) entries = entries.slice(entries.length - capacity);
    },
    entries: (service) => (service === undefined ? [...held()] : held().filter((entry) => entry.service === service)),
    clear() {
      const count = held().length;
      entries = [];
      total = 0;
      return count;
    },
    total: () => total,
  };
}
