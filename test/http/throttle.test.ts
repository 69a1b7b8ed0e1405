import { describe, expect, it } from 'vitest';
import { createCallWindow, createInFlightLimit, createRateLimiter } from '../../src/http/throttle.js';
import { createFakeClock, createStopOnlyClock } from './fake-clock.js';

describe('token bucket', () => {
  it('lets a burst through at once, then one request per refill interval', async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ requestsPerMinute: 13, burst: 3 }, clock);
    for (let i = 0; i < 6; i += 1) await limiter.acquire();
    // 3 at once; then (13 − 3) = 10 per minute, one every 6000 ms
    expect(clock.sleeps).toEqual([6_000, 6_000, 6_000]);
  });

  it('refills while idle, never beyond the burst', async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ requestsPerMinute: 13, burst: 3 }, clock);
    for (let i = 0; i < 3; i += 1) await limiter.acquire();
    clock.advance(10 * 60_000);
    for (let i = 0; i < 4; i += 1) await limiter.acquire();
    expect(clock.sleeps).toEqual([6_000]);
  });

  it('never lets more than requestsPerMinute through in any 60-second window', async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ requestsPerMinute: 1000, burst: 10 }, clock);
    const sentAt: number[] = [];
    for (let i = 0; i < 3000; i += 1) {
      await limiter.acquire();
      sentAt.push(clock.now());
    }
    let worst = 0;
    let start = 0;
    for (let end = 0; end < sentAt.length; end += 1) {
      while (sentAt[end]! - sentAt[start]! >= 60_000) start += 1;
      worst = Math.max(worst, end - start + 1);
    }
    expect(worst).toBeLessThanOrEqual(1000);
    expect(worst).toBeGreaterThan(990);
  });

  it('queues concurrent callers by reserving tokens', async () => {
    const sleeps: number[] = [];
    const limiter = createRateLimiter(
      { requestsPerMinute: 11, burst: 1 },
      { now: () => 0, sleep: async (ms) => void sleeps.push(ms) },
    );
    await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
    expect(sleeps).toEqual([6_000, 12_000]);
  });

  it('refuses a burst that is not below the per-minute limit', () => {
    expect(() => createRateLimiter({ requestsPerMinute: 10, burst: 10 }, createFakeClock())).toThrow(RangeError);
  });
});

describe('rolling call window', () => {
  it('grants the whole allowance at once, then one more as each call leaves the window', async () => {
    const clock = createFakeClock();
    const window = createCallWindow({ calls: 3, windowMs: 60_000 }, clock);
    const grantedAt: number[] = [];
    const start = clock.now();
    for (let i = 0; i < 5; i += 1) {
      await window.acquire();
      grantedAt.push(clock.now() - start);
    }
    expect(grantedAt).toEqual([0, 0, 0, 60_000, 60_000]);
  });

  it('queues concurrent callers in order', async () => {
    const clock = createFakeClock();
    const window = createCallWindow({ calls: 1, windowMs: 1_000 }, clock);
    const order: number[] = [];
    await Promise.all([0, 1, 2].map((i) => window.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2]);
    expect(clock.sleeps).toEqual([1_000, 1_000]);
  });

  it('says how long each wait for a slot is before it waits, and nothing while there is room', async () => {
    const clock = createFakeClock();
    const told: number[] = [];
    const window = createCallWindow({ calls: 2, windowMs: 60_000 }, clock, (waitMs) => told.push(waitMs));
    await window.acquire();
    clock.advance(20_000);
    await window.acquire();
    expect(told).toEqual([]);
    await window.acquire();
    expect(told).toEqual([40_000]);
    expect(clock.sleeps).toEqual([40_000]);
  });

  it("a stop during a wait ends it at once with the stop's error, grants no slot, and every later acquire fails at once", async () => {
    const clock = createStopOnlyClock();
    const { sleeps } = clock;
    const stop = new AbortController();
    const stopped = () => new Error('asked to stop');
    const window = createCallWindow({ calls: 1, windowMs: 60_000 }, clock, undefined, { signal: stop.signal, stopped });
    await window.acquire();
    const waiting = window.acquire();
    const queued = window.acquire();
    await Promise.resolve();
    expect(sleeps).toEqual([60_000]);
    stop.abort();
    await expect(waiting).rejects.toThrow('asked to stop');
    await expect(queued).rejects.toThrow('asked to stop');
    await expect(window.acquire()).rejects.toThrow('asked to stop');
    expect(sleeps).toEqual([60_000]);
  });

  it('refuses a window of no calls', () => {
    expect(() => createCallWindow({ calls: 0, windowMs: 1_000 }, createFakeClock())).toThrow(RangeError);
  });
});

describe('in-flight limit', () => {
  it('never runs more than the limit at once, and runs every piece of work', async () => {
    const limit = createInFlightLimit(2);
    let active = 0;
    let most = 0;
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        limit.run(async () => {
          active += 1;
          most = Math.max(most, active);
          await new Promise((resolve) => setImmediate(resolve));
          active -= 1;
          return n * 10;
        }),
      ),
    );
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(most).toBe(2);
  });

  it('frees the slot when the work fails', async () => {
    const limit = createInFlightLimit(1);
    await expect(limit.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limit.run(async () => 'next')).resolves.toBe('next');
  });
});
