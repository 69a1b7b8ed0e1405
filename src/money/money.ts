import {
  AmountFormatError,
  formatScaled,
  numberText,
  parseScaled,
  roundScaled,
  divideHalfEven,
  rescaleHalfEven,
} from './decimal.js';

/** Ledger amounts are integers of micro-units: 1 USD = 1_000_000n. */
export const MICRO_SCALE = 6;

/** Reads an amount as the API wrote it, "0.27819" or 0.27819, into micro-units, exactly. */
export function parseMicros(input: string | number): bigint {
  if (typeof input === 'number') return parseScaled(numberText(input), MICRO_SCALE);
  if (typeof input !== 'string') throw new AmountFormatError(String(input), 'expected text or a number');
  return parseScaled(input, MICRO_SCALE);
}

/**
 * Reads an amount a source sent, of any precision, rounded half-even to
 * micro-units: "0.0435789" → 43579n, and `exact` says whether digits were
 * dropped (a panel storing money as a DOUBLE). The ledger carries micro-units;
 * the reply's text stays in the raw landing (docs/accounting.md, "Amounts").
 */
export function readMicros(input: string | number): { micros: bigint; exact: boolean } {
  if (typeof input !== 'string' && typeof input !== 'number')
    throw new AmountFormatError(String(input), 'expected text or a number');
  const read = roundScaled(typeof input === 'number' ? numberText(input) : input, MICRO_SCALE);
  return { micros: read.value, exact: read.exact };
}

/** formatMicros(278190n) === "0.27819"; formatMicros(50_000_000n, 2) === "50.00". */
export function formatMicros(micros: bigint, minDecimals = 2): string {
  return formatScaled(micros, MICRO_SCALE, minDecimals);
}

/** Half-even rounding to `decimals` places, still in micro-units: roundMicros(758695n, 5) === 758700n. */
export function roundMicros(micros: bigint, decimals: number): bigint {
  if (decimals >= MICRO_SCALE) return micros;
  const unit = 10n ** BigInt(MICRO_SCALE - decimals);
  return divideHalfEven(micros, unit) * unit;
}

/** Micro-units to whole cents, half-even: toCents(1_005_000n) === 100n, toCents(1_015_000n) === 102n. */
export function toCents(micros: bigint): bigint {
  return rescaleHalfEven(micros, MICRO_SCALE, 2);
}

/** Cents as decimal text with two places: formatCents(-5n) === "-0.05". */
export function formatCents(cents: bigint): string {
  return formatScaled(cents, 2);
}

export function sumMicros(amounts: Iterable<bigint>): bigint {
  let total = 0n;
  for (const amount of amounts) total += amount;
  return total;
}

export function absMicros(micros: bigint): bigint {
  return micros < 0n ? -micros : micros;
}

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
