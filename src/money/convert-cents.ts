import { parseScaled } from './decimal.js';
import { divideHalfEven } from './decimal.js';

/** Exchange rates are read to ten decimals: "1.0825" → 10825000000n. */
export const RATE_SCALE = 10;
const RATE_UNIT = 10n ** BigInt(RATE_SCALE);

/**
 * An exchange rate (base-currency units per one foreign unit) from decimal
 * text, exactly: "1.0825" → 10825000000n at RATE_SCALE. Refuses zero, a
 * negative rate and more than ten decimals.
 */
export function parseRate(text: string): bigint {
  const rate = parseScaled(text, RATE_SCALE);
  if (rate <= 0n) throw new RangeError(`an exchange rate must be above zero, got ${JSON.stringify(text)}`);
  return rate;
}

/**
 * Converts the signed cents of a balanced journal (they sum to zero) into the
 * base currency at `rate` (from parseRate), so that the converted cents still
 * sum to zero. Each line is converted on its own and rounded half-even to the
 * cent; the rounding remainder is then given back one cent at a time to the
 * lines whose rounding moved them furthest the other way (the largest
 * remainder method), ties to the earlier line, so the result is the same
 * every time.
 *
 * Worked example, EUR Dr 10.01, Dr 10.01, Cr 20.02 at 1.5 USD per EUR:
 * exact 15.015, 15.015, −30.03; rounded half-even 15.02, 15.02, −30.03, which
 * sum to +0.01. One cent comes off the line rounded furthest up: both debits
 * were (by 0.005), so the earlier one takes it: Dr 15.01, Dr 15.02, Cr 30.03.
 */
export function convertCents(cents: readonly bigint[], rate: bigint): bigint[] {
  if (rate <= 0n) throw new RangeError('an exchange rate must be above zero');
  if (cents.reduce((sum, value) => sum + value, 0n) !== 0n)
    throw new RangeError('convertCents takes a balanced journal: its cents must sum to zero');
  // Exact products at cents × RATE_UNIT; each rounded line's error is exact − rounded × RATE_UNIT.
  const exact = cents.map((value) => value * rate);
  const rounded = exact.map((value) => divideHalfEven(value, RATE_UNIT));
  let remainder = -rounded.reduce((sum, value) => sum + value, 0n);
  const step = remainder > 0n ? 1n : -1n;
  // Lines by how far rounding moved them against the needed step: exact − rounded, in the step's direction, largest first.
  const order = rounded
    .map((value, index) => ({ index, error: ((exact[index] ?? 0n) - value * RATE_UNIT) * step }))
    .sort((a, b) => (a.error === b.error ? a.index - b.index : a.error > b.error ? -1 : 1));
  for (const { index } of order) {
    if (remainder === 0n) break;
    rounded[index] = (rounded[index] ?? 0n) + step;
    remainder -= step;
  }
  return rounded;
}

/**
 * Converts each amount on its own into the base currency at `rate`, half-even to the cent, with no amount moved to
 * balance the rest: how QuickBooks holds a foreign journal's amounts in its home currency (quickbooks-books.ts).
 * Worked example, USD Dr 27.50, Dr 12.51, Cr 40.01 at 0.79 GBP per USD: exact 21.725, 9.8829, −31.6079 → 21.72, 9.88,
 * −31.61, which sum to −0.01 (convertCents would give 21.73, 9.88, −31.61).
 */
export function convertEachCents(cents: readonly bigint[], rate: bigint): bigint[] {
  if (rate <= 0n) throw new RangeError('an exchange rate must be above zero');
  return cents.map((value) => divideHalfEven(value * rate, RATE_UNIT));
}
