import { toCents } from './money.js';

/**
 * Cents to render for one period under DESIGN §2: the half-even rounding of the
 * exact running total through this period, minus that of the total before it.
 * Three days of 0.004 each render 0.00, 0.01, 0.00 (cumulative 0.004 → 0.00,
 * 0.008 → 0.01, 0.012 → 0.01), so the cents ever posted never stray more than
 * half a cent from the exact total.
 */
export function cumulativeCents(exactBeforeMicros: bigint, exactPeriodMicros: bigint): bigint {
  return toCents(exactBeforeMicros + exactPeriodMicros) - toCents(exactBeforeMicros);
}
