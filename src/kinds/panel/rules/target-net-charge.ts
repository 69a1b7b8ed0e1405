import { assertNever } from '../../../rules/index.js';
import type { OrderStatus } from './normalize-status.js';
import { proRataNetCharge } from './pro-rata-refund.js';

/**
 * What the ledger should have expensed for an order after this observation
 * (DESIGN §4). Worked example, 1000 ordered at rate 0.90 (charge 0.90000),
 * first booked at 0.90000:
 *   Pending, charge 0.90000                      → 0.90000 (reported)
 *   Partial, remains 157, charge still 0.90000   → 0.75870 (pro-rata: the panel kept 843/1000)
 *   Partial, remains 157, charge lowered 0.7587  → 0.75870 (reported: the panel did it already)
 *   Canceled or Failed, whatever the charge says → 0       (voided)
 */
export const TARGET_BASES = ['reported', 'pro-rata', 'voided'] as const;
export type TargetBasis = (typeof TARGET_BASES)[number];

export interface TargetNetChargeInput {
  status: OrderStatus;
  /** The charge the panel reports now. */
  chargeMicros: bigint;
  /** Already interpreted (see interpretRemains): undefined when unknown. */
  remains: bigint | undefined;
  /** Units ordered (posts × max for a Custom Comments Package); undefined when unknown. */
  quantity: bigint | undefined;
  /** The charge reported when the order was first seen. */
  firstChargeMicros: bigint;
}

export interface TargetNetCharge {
  targetMicros: bigint;
  basis: TargetBasis;
  /** Set when the panel probably refunded part of the order but the refund cannot be computed: why. */
  refundNotComputable?: string;
}

export function targetNetCharge(input: TargetNetChargeInput): TargetNetCharge {
  const reported: TargetNetCharge = { targetMicros: input.chargeMicros, basis: 'reported' };
  switch (input.status) {
    case 'canceled':
    case 'failed':
      return { targetMicros: 0n, basis: 'voided' };
    case 'open':
    case 'unknown':
      return reported;
    case 'completed':
    case 'partial': {
      // A charge that moved since first sight means the panel already reflected its refund in it.
      if (input.chargeMicros !== input.firstChargeMicros) return reported;
      if (input.remains === undefined) {
        return input.status === 'partial'
          ? { ...reported, refundNotComputable: 'the panel reports no usable remains' }
          : reported;
      }
      if (input.remains === 0n) return reported;
      if (input.quantity === undefined || input.quantity <= 0n) {
        return { ...reported, refundNotComputable: 'the order quantity is unknown' };
      }
      return { targetMicros: proRataNetCharge(input.chargeMicros, input.quantity, input.remains), basis: 'pro-rata' };
    }
    default:
      return assertNever(input.status);
  }
}
