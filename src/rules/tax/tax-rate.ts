import { divideHalfEven, parseScaled } from '../../money/index.js';

/**
 * A tax rate and what it takes out of or adds to a line, written once for the rules, the destinations and the return.
 * Every amount is rounded to the cent half to even, per line: the rule the ledger books by and ties out against Xero
 * and QuickBooks with (their fakes round the same; neither vendor publishes its half-cent rule).
 */

/** Rates are read to four decimals of a percent ("12.5" → 125000n), as Xero's EffectiveRate and QuickBooks' RateValue carry them. */
export const TAX_RATE_SCALE = 4;
const HUNDRED_PERCENT = 100n * 10n ** BigInt(TAX_RATE_SCALE);

/** A rate in percent: decimal text as the rules and the vendors write it ("20", "12.5"), or already read (parseTaxRate). */
export type TaxRate = string | bigint;

/** A rate's percent text at TAX_RATE_SCALE, exactly: "20" → 200000n, "12.5" → 125000n; more than four decimals is refused. */
export function parseTaxRate(percent: string): bigint {
  return parseScaled(percent, TAX_RATE_SCALE);
}

function scaled(rate: TaxRate): bigint {
  return typeof rate === 'bigint' ? rate : parseTaxRate(rate);
}

/**
 * The tax inside a line of `cents` (tax included: Xero's Inclusive, QuickBooks' TaxInclusive), signed like the line:
 * cents × rate / (100 + rate), half to even. 12.00 at 20 % → 2.00; −150.56 at 20 % → −25.09; any amount at 0 → 0.00.
 */
export function inclusiveTax(cents: bigint, rate: TaxRate): bigint {
  const percent = scaled(rate);
  return divideHalfEven(cents * percent, HUNDRED_PERCENT + percent);
}

/** The tax on top of a line of `cents` (tax excluded: Xero's Exclusive), signed like the line, half to even: 100.00 at 12.5 % → 12.50. */
export function exclusiveTax(cents: bigint, rate: TaxRate): bigint {
  return divideHalfEven(cents * scaled(rate), HUNDRED_PERCENT);
}

/**
 * A reverse charge's two legs on a line of `amount` (the buyer accounts for the supplier's tax: the line stays whole),
 * in cents as booked: the input leg signed like the line, the output leg its opposite, so they cancel. `amount` is in
 * cents, or in finer units with `unitsPerCent` (a journal line's micros: 10_000n), rounded once, half to even:
 * 100.00 at 20 % → input 20.00, output −20.00; −0.14130 (micros) at 20 % → input −0.03, output 0.03.
 */
export function reverseChargeLegs(amount: bigint, rate: TaxRate, unitsPerCent = 1n): { input: bigint; output: bigint } {
  const input = divideHalfEven(amount * scaled(rate), unitsPerCent * HUNDRED_PERCENT);
  return { input, output: -input };
}
