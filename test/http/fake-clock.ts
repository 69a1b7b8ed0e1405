import type { Clock } from '../../src/http/clock.js';

/** A clock whose sleep only moves time forward and remembers what was asked. */
export interface FakeClock extends Clock {
  readonly sleeps: number[];
  advance(ms: number): void;
}

export function createFakeClock(startMs = Date.UTC(2026, 2, 2, 12, 0, 0)): FakeClock {
  let now = startMs;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

/** A clock whose sleeps end only when cut by their signal: a wait that a stop does not cut never ends. */
export function createStopOnlyClock(): { now: () => number; sleep: Clock['sleep']; readonly sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => 0,
    sleep: (ms, cut) => {
      sleeps.push(ms);
      return new Promise<void>((resolve) => cut?.addEventListener('abort', () => resolve(), { once: true }));
    },
  };
}
