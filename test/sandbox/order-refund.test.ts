import { describe, expect, it } from 'vitest';
import { netCharge, reportedCharge, statusClass, undeliveredQuantity } from '../../sandbox/order-refund.js';

describe('the simulated panel refunds exactly what ledgerline computes', () => {
  // Worked example (DESIGN §4): quantity 1000 at rate 0.90 → charge 0.90000; Partial with remains 157
  // keeps 0.90000 × 843 / 1000 = 0.75870 and refunds 0.14130.
  const charge = 900_000n;

  it('a Partial order keeps the delivered part and refunds the rest, in both modes', () => {
    expect(netCharge(charge, 1000, 'Partial', '157')).toBe(758_700n);
    expect(charge - netCharge(charge, 1000, 'Partial', '157')).toBe(141_300n);
  });

  it('lowerCharge reports the lowered charge for a Partial order; keepCharge keeps reporting the billed one', () => {
    expect(reportedCharge(charge, 1000, 'Partial', '157', 'lowerCharge')).toBe(758_700n);
    expect(reportedCharge(charge, 1000, 'Partial', '157', 'keepCharge')).toBe(900_000n);
  });

  it('a Canceled order is refunded whole; its charge drops to 0 in lowerCharge mode and stays in keepCharge mode', () => {
    expect(netCharge(charge, 1000, 'Canceled', '1000')).toBe(0n);
    expect(reportedCharge(charge, 1000, 'Canceled', '1000', 'lowerCharge')).toBe(0n);
    expect(reportedCharge(charge, 1000, 'Canceled', '1000', 'keepCharge')).toBe(900_000n);
  });

  it('a package Completed with remains > 0 refunds pro rata but keeps reporting its charge in both modes', () => {
    // 3 posts × max 20 = 60 comments billed at 6.50 per 1000: 0.39000; 9 undelivered keep 0.39 × 51 / 60 = 0.33150.
    expect(netCharge(390_000n, 60, 'Completed', '9')).toBe(331_500n);
    expect(reportedCharge(390_000n, 60, 'Completed', '9', 'lowerCharge')).toBe(390_000n);
    expect(reportedCharge(390_000n, 60, 'Completed', '9', 'keepCharge')).toBe(390_000n);
  });

  it('rounds the kept part half-even to 5 decimals', () => {
    // 0.04551 × 2 / 3 = 0.03034 (0.030340); 0.00003 × 1 / 2 = 0.000015 → 0.00002 (half to even).
    expect(netCharge(45_510n, 3, 'Partial', '1')).toBe(30_340n);
    expect(netCharge(30n, 2, 'Partial', '1')).toBe(20n);
    expect(netCharge(10n, 2, 'Partial', '1')).toBe(0n);
  });

  it('open orders keep their whole charge whatever remains says', () => {
    expect(netCharge(charge, 1000, 'In progress', '400')).toBe(900_000n);
    expect(netCharge(charge, 1000, 'Pending', '1000')).toBe(900_000n);
  });

  it('reads status names loosely, as real panels spell them', () => {
    expect(
      ['In progress', 'in_progress', 'INPROGRESS', 'Processing', 'Pending', 'Active', 'Something new'].map(statusClass),
    ).toEqual(['open', 'open', 'open', 'open', 'open', 'open', 'open']);
    expect(
      ['Completed', 'Done', 'Partial', 'Canceled', 'Cancelled', 'Refunded', 'Rejected', 'Failed'].map(statusClass),
    ).toEqual(['completed', 'completed', 'partial', 'voided', 'voided', 'voided', 'voided', 'voided']);
  });

  it('treats over-delivery as nothing undelivered and clamps remains to the quantity', () => {
    expect(['157', '+12', '-12', '5000', 'Unknown', ''].map((remains) => undeliveredQuantity(remains, 1000))).toEqual([
      157, 0, 0, 1000, 0, 0,
    ]);
  });
});
