import { describe, expect, it } from 'vitest';
import { proRataNetCharge } from '../../../../src/kinds/panel/rules/normalize-status.js';

describe('pro-rata refund', () => {
  it('1000 ordered at 0.90000 with 157 undelivered keeps 0.75870', () => {
    expect(proRataNetCharge(900_000n, 1000n, 157n)).toBe(758_700n);
  });

  it('rounds half-even to 5 decimals', () => {
    // 0.00003 × 1/2 = 0.000015 → 0.00002 (half to even); 0.00001 × 1/2 = 0.000005 → 0.00000
    expect(proRataNetCharge(30n, 2n, 1n)).toBe(20n);
    expect(proRataNetCharge(10n, 2n, 1n)).toBe(0n);
  });
});
