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
