/**
 * Half-even ("banker's") rounding on integers. It is the rounding accountants
 * expect for cumulative totals: halves go to the even neighbour, so a long run
 * of .5 cases does not drift upward.
 */

/** numerator ÷ denominator rounded half-even: divideHalfEven(5n, 2n) === 2n, divideHalfEven(7n, 2n) === 4n. */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  if (denominator < 0n) return divideHalfEven(-numerator, -denominator);
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  if (remainder === 0n) return quotient;
  const twice = 2n * (remainder < 0n ? -remainder : remainder);
  const away = numerator < 0n ? quotient - 1n : quotient + 1n;
  if (twice > denominator) return away;
  if (twice < denominator) return quotient;
  return quotient % 2n === 0n ? quotient : away;
}

/**
 * Re-expresses a scaled integer at a coarser scale, half-even:
 * rescaleHalfEven(278195n, 6, 5) === 27820n (0.278195 → 0.27820).
 * A finer target scale multiplies exactly.
 */
export function rescaleHalfEven(value: bigint, fromScale: number, toScale: number): bigint {
  if (toScale >= fromScale) return value * powerOfTen(toScale - fromScale);
  return divideHalfEven(value, powerOfTen(fromScale - toScale));
}

/** 10 to the `exponent`, the usual ones built once: rendering cents rescales twice per appended line. */
function powerOfTen(exponent: number): bigint {
  return POWERS_OF_TEN[exponent] ?? 10n ** BigInt(exponent);
}
const POWERS_OF_TEN = Array.from({ length: 19 }, (_, exponent) => 10n ** BigInt(exponent));
