import { describe, expect, it } from 'vitest';
import { backoffDelayMs, parseRetryAfter } from '../../src/http/retry-policy.js';

const policy = { maxAttempts: 6, maxTotalMs: 60_000, baseDelayMs: 500, maxDelayMs: 3_000 };

describe('backoff', () => {
  it('doubles the ceiling per retry up to the maximum', () => {
    expect([0, 1, 2, 3, 4].map((retry) => backoffDelayMs(retry, policy, () => 0.999999))).toEqual([
      499, 999, 1_999, 2_999, 2_999,
    ]);
  });

  it('draws uniformly below the ceiling (full jitter)', () => {
    expect(backoffDelayMs(2, policy, () => 0.5)).toBe(1_000);
    expect(backoffDelayMs(2, policy, () => 0)).toBe(0);
  });
});

describe('Retry-After', () => {
  const now = Date.UTC(2026, 2, 2, 12, 0, 0);
  it('reads delta-seconds', () => expect(parseRetryAfter('120', now)).toBe(120_000));
  it('reads an HTTP date relative to now', () =>
    expect(parseRetryAfter('Mon, 02 Mar 2026 12:00:30 GMT', now)).toBe(30_000));
  it('treats a date in the past as no wait', () =>
    expect(parseRetryAfter('Mon, 02 Mar 2026 11:00:00 GMT', now)).toBe(0));
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
