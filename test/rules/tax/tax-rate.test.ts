import { describe, expect, it } from 'vitest';
import { AmountFormatError } from '../../../src/money/index.js';
import {
  exclusiveTax,
  inclusiveTax,
  parseTaxRate,
  reverseChargeLegs,
  TAX_RATE_SCALE,
} from '../../../src/rules/tax/tax-rate.js';

describe('parseTaxRate', () => {
  it('reads a percent exactly to four decimals: "20" → 200000, "12.5" → 125000, "0" → 0', () => {
    expect(TAX_RATE_SCALE).toBe(4);
    expect(parseTaxRate('20')).toBe(200_000n);
    expect(parseTaxRate('12.5')).toBe(125_000n);
    expect(parseTaxRate('0.0001')).toBe(1n);
    expect(parseTaxRate('0')).toBe(0n);
  });

  it('refuses a fifth decimal rather than drop it', () => {
    expect(() => parseTaxRate('12.34567')).toThrow(AmountFormatError);
  });
});

describe('inclusiveTax: the tax inside a gross line, cents × rate / (100 + rate), half to even', () => {
  it('12.00 at 20 % holds 2.00; −150.56 at 20 % holds −25.09 (25.093…); 76.79 holds 12.80 (12.798…)', () => {
    expect(inclusiveTax(1_200n, '20')).toBe(200n);
    expect(inclusiveTax(-15_056n, '20')).toBe(-2_509n);
    expect(inclusiveTax(7_679n, '20')).toBe(1_280n);
  });

  it('a half cent goes to the even cent: 0.03 at 20 % (0.005) → 0.00, 0.09 at 20 % (0.015) → 0.02, −0.09 → −0.02', () => {
    expect(inclusiveTax(3n, '20')).toBe(0n);
    expect(inclusiveTax(9n, '20')).toBe(2n);
    expect(inclusiveTax(-9n, '20')).toBe(-2n);
  });

  it('takes a rate already read, as a sum of a code’s rates: +20 and −20 of a reverse charge hold nothing', () => {
    expect(inclusiveTax(1_200n, parseTaxRate('20'))).toBe(200n);
    expect(inclusiveTax(1_200n, parseTaxRate('20') + parseTaxRate('-20'))).toBe(0n);
    expect(inclusiveTax(10_000n, '0')).toBe(0n);
  });
});

describe('exclusiveTax: the tax on top of a net line, cents × rate / 100, half to even', () => {
  it('100.00 at 12.5 % adds 12.50; −100.00 at 20 % adds −20.00', () => {
    expect(exclusiveTax(10_000n, '12.5')).toBe(1_250n);
    expect(exclusiveTax(-10_000n, '20')).toBe(-2_000n);
  });

  it('a half cent goes to the even cent: 0.25 at 10 % (0.025) → 0.02, 0.35 at 10 % (0.035) → 0.04', () => {
    expect(exclusiveTax(25n, '10')).toBe(2n);
    expect(exclusiveTax(35n, '10')).toBe(4n);
  });
});

describe('reverseChargeLegs: the buyer’s pair of legs, which cancel', () => {
  it('100.00 of services bought from abroad at 20 %: Dr input VAT 20.00, Cr output VAT 20.00', () => {
    const legs = reverseChargeLegs(10_000n, '20');
    expect(legs).toEqual({ input: 2_000n, output: -2_000n });
    expect(legs.input + legs.output).toBe(0n);
  });

  it('a refund of 0.63 at 20 % (0.126): −0.13 input, 0.13 output; a half cent (0.25 at 10 %) to even: 0.02', () => {
    expect(reverseChargeLegs(-63n, '20')).toEqual({ input: -13n, output: 13n });
    expect(reverseChargeLegs(25n, '10')).toEqual({ input: 2n, output: -2n });
  });

  it('a journal line in micros is rounded once, to the cent: −0.14130 at 20 % (−0.02826) → −0.03 and 0.03', () => {
    expect(reverseChargeLegs(-141_300n, '20', 10_000n)).toEqual({ input: -3n, output: 3n });
    // 0.0404 at 12.5 % is 0.00505 → 0.01; the line rounded to 0.04 first would give 0.005 → 0.00.
    expect(reverseChargeLegs(40_400n, '12.5', 10_000n)).toEqual({ input: 1n, output: -1n });
  });
});
