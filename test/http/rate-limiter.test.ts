import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/http/rate-limiter.js';
import { createFakeClock } from './fake-clock.js';

describe('rate limiter', () => {
  it('lets a burst through at once, then one request per refill interval', async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ requestsPerMinute: 13, burst: 3 }, clock);
    for (let i = 0; i < 6; i += 1) await limiter.acquire();
    // 3 at once; then (13 − 3) = 10 per minute, one every 6000 ms
    expect(clock.sleeps).toEqual([6_000, 6_000, 6_000]);
    expect(limiter.counters()).toEqual({ waits: 3, waitedMs: 18_000 });
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
    const limiter = createRateLimiter({ requestsPerMinute: 11, burst: 1 }, { now: () => 0, sleep: async (ms) => void sleeps.push(ms) });
    await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
    expect(sleeps).toEqual([6_000, 12_000]);
  });

  it('refuses a burst that is not below the per-minute limit', () => {
    expect(() => createRateLimiter({ requestsPerMinute: 10, burst: 10 }, createFakeClock())).toThrow(RangeError);
  });
});
