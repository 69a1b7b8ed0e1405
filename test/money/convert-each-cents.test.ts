import { describe, expect, it } from 'vitest';
import { convertCents, convertEachCents, parseRate } from '../../src/money/index.js';

describe('convertEachCents: each amount converted on its own, as QuickBooks holds a foreign journal (issue 82 item 9)', () => {
  it('−27.50 USD at 0.79 is −21.72 GBP whatever the other lines, and the lines may leave a cent over', () => {
    const usd = [2_750n, 1_251n, -4_001n];
    // 21.725 → 21.72 (half-even), 9.8829 → 9.88, −31.6079 → −31.61.
    expect(convertEachCents(usd, parseRate('0.79'))).toEqual([2_172n, 988n, -3_161n]);
    // Kept balanced, the entry's cent went onto the line rounded furthest down: 21.73.
    expect(convertCents(usd, parseRate('0.79'))).toEqual([2_173n, 988n, -3_161n]);
  });

  it('refuses a rate of zero or below, as convertCents does', () => {
    expect(() => convertEachCents([100n], 0n)).toThrow(RangeError);
  });
});
