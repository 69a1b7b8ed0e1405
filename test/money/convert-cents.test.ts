import { describe, expect, it } from 'vitest';
import { convertCents, parseRate } from '../../src/money/index.js';

describe('convertCents', () => {
  it('converts each line half-even and gives the rounding cent back to the line rounded furthest the other way (the worked example)', () => {
    // EUR Dr 10.01, Dr 10.01, Cr 20.02 at 1.5: 15.015, 15.015, −30.03 → 15.02, 15.02, −30.03 (+0.01) → the earlier debit gives a cent back.
    expect(convertCents([1001n, 1001n, -2002n], parseRate('1.5'))).toEqual([1501n, 1502n, -3003n]);
  });

  it('keeps every converted journal balanced, whatever the rate', () => {
    for (const rate of ['0.0123', '1.0825', '83.1234567891', '0.9']) {
      const converted = convertCents([333n, 333n, 334n, -1000n], parseRate(rate));
      expect(converted.reduce((sum, cents) => sum + cents, 0n)).toBe(0n);
    }
    // 10.825 is a half: half-even keeps the even cent.
    expect(convertCents([1000n, -1000n], parseRate('1.0825'))).toEqual([1082n, -1082n]);
  });

  it('refuses an unbalanced journal, a rate of zero and a rate with more than ten decimals', () => {
    expect(() => convertCents([1n], parseRate('1'))).toThrow(/sum to zero/);
    expect(() => parseRate('0')).toThrow(/above zero/);
    expect(() => parseRate('1.00000000001')).toThrow();
  });
});
