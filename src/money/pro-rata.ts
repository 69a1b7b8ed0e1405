import { MICRO_SCALE } from './money.js';
import { divideHalfEven } from './decimal.js';

/**
 * amount × part ÷ whole, rounded half-even to `decimals` places (micro-units in and out).
 * The panel's pro-rata refund: a charge of 0.90000 for 1000 with 157 undelivered keeps
 * proRata(900_000n, 843n, 1000n, 5) === 758_700n (0.75870), so the refund is 0.14130.
 */
export function proRata(amount: bigint, part: bigint, whole: bigint, decimals = MICRO_SCALE): bigint {
  if (whole <= 0n) throw new RangeError(`pro-rata needs a positive whole, got ${whole}`);
  if (decimals > MICRO_SCALE) throw new RangeError(`at most ${MICRO_SCALE} decimals`);
  const unit = 10n ** BigInt(MICRO_SCALE - decimals);
  return divideHalfEven(amount * part, whole * unit) * unit;
}
