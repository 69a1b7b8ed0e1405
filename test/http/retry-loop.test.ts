import { describe, expect, it } from 'vitest';
import { retryLoop, type AttemptResult } from '../../src/http/retry-loop.js';
import { maySendAgain } from '../../src/http/retry-policy.js';
import { createFakeClock, createStopOnlyClock } from './fake-clock.js';

const wait = (waitMs: number, message = 'busy'): AttemptResult<never> => ({
  kind: 'wait',
  waitMs,
  failure: new Error(message),
  reason: message,
});

describe('retryLoop', () => {
  it('returns the first done value after sleeping each wait on the clock', async () => {
    const clock = createFakeClock();
    const notices: string[] = [];
    const value = await retryLoop<string>(async (n) => (n < 3 ? wait(n * 1_000) : { kind: 'done', value: 'ok' }), {
      clock,
      maxAttempts: 5,
      maxTotalMs: 60_000,
      total: 'waits',
      onWait: (result, n) => notices.push(`${result.reason} on ${n}, ${result.waitMs} ms`),
    });
    expect(value).toBe('ok');
    expect(clock.sleeps).toEqual([1_000, 2_000]);
    expect(notices).toEqual(['busy on 1, 1000 ms', 'busy on 2, 2000 ms']);
  });

  it('throws the last failure once the attempts are spent, without a last sleep', async () => {
    const clock = createFakeClock();
    let attempts = 0;
    const run = retryLoop(async (n) => ((attempts += 1), wait(10, `failure ${n}`)), {
      clock,
      maxAttempts: 3,
      maxTotalMs: 60_000,
      total: 'waits',
    });
    await expect(run).rejects.toThrow('failure 3');
    expect(attempts).toBe(3);
    expect(clock.sleeps).toEqual([10, 10]);
  });

  it('counts only the waits against the total under "waits", and the attempts\' own time too under "elapsed"', async () => {
    const slowAttempt = (clock: ReturnType<typeof createFakeClock>) => async () => {
      clock.advance(5_000);
      return wait(4_000);
    };
    const waits = createFakeClock();
    await expect(
      retryLoop(slowAttempt(waits), { clock: waits, maxAttempts: 10, maxTotalMs: 10_000, total: 'waits' }),
    ).rejects.toThrow('busy');
    expect(waits.sleeps).toEqual([4_000, 4_000]);
    const elapsed = createFakeClock();
    await expect(
      retryLoop(slowAttempt(elapsed), { clock: elapsed, maxAttempts: 10, maxTotalMs: 10_000, total: 'elapsed' }),
    ).rejects.toThrow('busy');
    expect(elapsed.sleeps).toEqual([4_000]);
  });

  it('lets the caller name the error by the limit that ran out', async () => {
    const clock = createFakeClock();
    const run = retryLoop(async () => wait(30_000), {
      clock,
      maxAttempts: 5,
      maxTotalMs: 45_000,
      total: 'waits',
      exhausted: (_, n, limit) => new Error(`gave up after ${n} (${limit})`),
    });
    await expect(run).rejects.toThrow('gave up after 2 (time)');
  });
  it("a stop during a wait ends it at once with the stop's error and tries no more; one already asked waits not at all", async () => {
    const clock = createStopOnlyClock();
    const { sleeps } = clock;
    const stop = new AbortController();
    const stopped = () => new Error('asked to stop');
    let attempts = 0;
    const notices: number[] = [];
    const options = {
      clock,
      maxAttempts: 6,
      maxTotalMs: 300_000,
      total: 'waits' as const,
      onWait: (result: { waitMs: number }) => notices.push(result.waitMs),
      stop: { signal: stop.signal, stopped },
    };
    const run = retryLoop(async () => ((attempts += 1), wait(60_000, 'HTTP 429')), options);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sleeps).toEqual([60_000]);
    stop.abort();
    await expect(run).rejects.toThrow('asked to stop');
    expect(attempts).toBe(1);

    // Asked while the attempt was out (its 429 comes back after the stop): no wait is said or taken.
    await expect(retryLoop(async () => ((attempts += 1), wait(60_000, 'HTTP 429')), options)).rejects.toThrow(
      'asked to stop',
    );
    expect(attempts).toBe(2);
    expect(sleeps).toEqual([60_000]);
    expect(notices).toEqual([60_000]);
  });
});

describe('maySendAgain', () => {
  it('sends a 429 or a never-sent request again whatever the method', () => {
    expect(maySendAgain({ status: 429 }, false)).toBe(true);
    expect(maySendAgain({ mayHaveReachedServer: false }, false)).toBe(true);
  });

  it('does not resend a 5xx or a possibly-delivered request unless it is idempotent', () => {
    expect(maySendAgain({ status: 502 }, false)).toBe(false);
    expect(maySendAgain({ mayHaveReachedServer: true }, false)).toBe(false);
    expect(maySendAgain({ status: 502 }, true)).toBe(true);
    expect(maySendAgain({ mayHaveReachedServer: true }, true)).toBe(true);
  });
});
