import type { Clock } from '../http/clock.js';

/** At most `calls` in any `windowMs`, as Xero and Intuit count them: a rolling window, not a refilling bucket. */
export interface CallWindow {
  /** Resolves when one more call fits the window, sleeping on the injected clock until the oldest leaves it. */
  acquire(): Promise<void>;
}

/**
 * A rolling-window limit: with 60 a minute, a run may spend all 60 at once
 * and then one more each time a call from a minute ago falls out of the
 * window, so it uses the whole allowance without ever passing it. Calls are
 * counted when a slot is granted, so concurrent callers queue in order.
 */
export function createCallWindow(limit: { calls: number; windowMs: number }, clock: Clock): CallWindow {
  if (!Number.isSafeInteger(limit.calls) || limit.calls < 1) throw new RangeError(`a call window needs at least 1 call, got ${limit.calls}`);
  const granted: number[] = [];
  let queue: Promise<void> = Promise.resolve();
  const take = async (): Promise<void> => {
    for (;;) {
      const now = clock.now();
      while (granted.length > 0 && granted[0]! <= now - limit.windowMs) granted.shift();
      if (granted.length < limit.calls) {
        granted.push(now);
        return;
      }
      await clock.sleep(granted[0]! + limit.windowMs - now);
    }
  };
  return {
    acquire() {
      const turn = queue.then(take);
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}
