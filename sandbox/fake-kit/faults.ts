import { assertNever } from '../../src/rules/index.js';

/** Calls in the last `spanMs`, for per-minute and per-day allowances that roll rather than reset. */
export class RollingWindow {
  private stamps: number[] = [];
  constructor(private readonly spanMs: number) {}

  count(now: number): number {
    this.prune(now);
    return this.stamps.length;
  }

  add(now: number): void {
    this.prune(now);
    this.stamps.push(now);
  }

  /** Whole seconds until the oldest call leaves the window (at least 1): what Retry-After says. */
  secondsUntilSlot(now: number): number {
    this.prune(now);
    const oldest = this.stamps[0];
    if (oldest === undefined) return 1;
    return Math.max(1, Math.ceil((oldest + this.spanMs - now) / 1000));
  }

  private prune(now: number): void {
    while (this.stamps.length > 0 && (this.stamps[0] ?? 0) <= now - this.spanMs) this.stamps.shift();
  }
}

export const FAULT_TARGETS = ['api', 'writes', 'reads', 'token'] as const;
/** Which requests a queued fault hits: every API call, only writes, only reads, or the token endpoint. */
export type FaultTarget = (typeof FAULT_TARGETS)[number];
export type RequestClass = 'write' | 'read' | 'token';

export interface FaultOptions {
  /** How many matching requests the fault hits; 1 unless given. */
  times?: number;
  /** Which requests it hits; "writes" unless given. */
  on?: FaultTarget;
}

/** Faults injected by a test, each spent on the next requests it matches, in the order they were added. */
export class FaultQueue<F> {
  private queued: { fault: F; remaining: number; on: FaultTarget }[] = [];

  add(fault: F, options: FaultOptions = {}): void {
    const times = options.times ?? 1;
    if (!Number.isInteger(times) || times < 1)
      throw new RangeError(`fault times must be a positive integer, got ${times}`);
    this.queued.push({ fault, remaining: times, on: options.on ?? 'writes' });
  }

  clear(): void {
    this.queued = [];
  }

  take(requestClass: RequestClass): F | undefined {
    const index = this.queued.findIndex((entry) => targetMatches(entry.on, requestClass));
    const entry = this.queued[index];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.queued.splice(index, 1);
    return entry.fault;
  }
}

function targetMatches(target: FaultTarget, requestClass: RequestClass): boolean {
  switch (target) {
    case 'api':
      return requestClass !== 'token';
    case 'writes':
      return requestClass === 'write';
    case 'reads':
      return requestClass === 'read';
    case 'token':
      return requestClass === 'token';
    default:
      return assertNever(target);
  }
}
