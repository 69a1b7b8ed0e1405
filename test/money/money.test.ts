import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AmountFormatError,
  allocate,
  cumulativeCents,
  divideHalfEven,
  formatCents,
  formatMicros,
  parseMicros,
  proRata,
  readMicros,
  roundScaled,
  rescaleHalfEven,
  roundMicros,
  toCents,
} from '../../src/money/index.js';
import { propertyRuns } from '../support/soak.js';

describe('parsing amounts from decimal text', () => {
  it.each([
    ['0.27819', 278_190n],
    ['100.84292', 100_842_920n],
    ['50.00', 50_000_000n],
    ['-0.00001', -10n],
    ['4.15', 4_150_000n],
    ['0', 0n],
    ['+7', 7_000_000n],
    ['.5', 500_000n],
    ['123456789012.123456', 123_456_789_012_123_456n],
  ])('reads %s as %d micro-units', (text, micros) => {
    expect(parseMicros(text)).toBe(micros);
  });

  it.each([
    ['0.27819', '0.27819'],
    ['100.84292', '100.84292'],
    ['50.00', '50.00'],
    ['-0.00001', '-0.00001'],
  ])('round-trips %s through micro-units', (text, back) => {
    expect(formatMicros(parseMicros(text))).toBe(back);
  });

  it.each([
    ['', 'empty'],
    ['NaN', 'expected digits'],
    ['0.1234567', 'more than 6 decimal places'],
    ['1e-7', 'more than 6 decimal places'],
    ['1e400', 'an exponent beyond'],
    ['12,50', 'expected digits'],
    ['-', 'no digits'],
    ['Infinity', 'expected digits'],
  ])('refuses %j and quotes it in the error', (text, reason) => {
    expect(() => parseMicros(text)).toThrowError(AmountFormatError);
    expect(() => parseMicros(text)).toThrowError(
      new RegExp(`${JSON.stringify(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*${reason}`),
    );
  });

  it.each([
    ['0.4100000', 410_000n],
    ['1.0e-5', 10n],
    ['1e5', 100_000_000_000n],
    ['1.5E-3', 1_500n],
    ['-1.0E+2', -100_000_000n],
    ['10e-7', 1n],
    ['0e-9', 0n],
  ])('reads %j as PHP panels write it (trailing zeros past six places, exponent notation) exactly', (text, micros) => {
    expect(parseMicros(text)).toBe(micros);
  });

  it.each([
    ['0.0435789', 43_579n, false],
    ['100.3682311', 100_368_231n, false],
    ['0.0000005', 0n, false], // the half goes to the even neighbour, 0
    ['0.0000015', 2n, false], // and here to 2
    ['-0.0000025', -2n, false],
    ['1.2e-6', 1n, false],
    ['4.35789e-2', 43_579n, false],
    ['0.4100000', 410_000n, true],
    ['1e-7', 0n, false],
    ['0.27819', 278_190n, true],
  ])(
    'a source figure %j of any precision is read rounded half-even to %d micro-units (exact: %s)',
    (text, micros, exact) => {
      expect(readMicros(text)).toEqual({ micros, exact });
    },
  );

  it('rounds a figure of many decimals from its digits, not through a float', () => {
    // As a double 2.675 is 2.67499999…; as text it is a half, rounded to the even 2.68 at two places.
    expect(roundScaled('2.675', 2)).toEqual({ value: 268n, exact: false });
    expect(readMicros('0.12345650000000000000000001')).toEqual({ micros: 123_457n, exact: false });
    expect(readMicros(0.0435789)).toEqual({ micros: 43_579n, exact: false });
  });

  it('reads JSON numbers by their decimal text, never through float arithmetic', () => {
    // 0.1 + 0.2 is 0.30000000000000004 in floats; amounts parsed from text add up exactly.
    expect(parseMicros(0.1) + parseMicros(0.2)).toBe(parseMicros('0.3'));
    expect(parseMicros(4.15)).toBe(4_150_000n);
    expect(parseMicros(1.005)).toBe(1_005_000n);
    expect(parseMicros(1e21)).toBe(10n ** 27n);
    expect(() => parseMicros(Number.NaN)).toThrowError(/NaN/);
  });

  it('parses and formats any amount of up to 6 decimals exactly (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (micros) => {
        expect(parseMicros(formatMicros(micros, 6))).toBe(micros);
      }),
      { numRuns: propertyRuns(5000) },
    );
  });
});

describe('half-even rounding', () => {
  it.each([
    [5n, 2n, 2n],
    [7n, 2n, 4n],
    [-5n, 2n, -2n],
    [-7n, 2n, -4n],
    [10n, 3n, 3n],
    [11n, 3n, 4n],
    [-11n, 3n, -4n],
  ])('%d / %d → %d', (numerator, denominator, expected) => {
    expect(divideHalfEven(numerator, denominator)).toBe(expected);
  });

  it('rounds micro-units to cents and to 5 decimals, halves to even', () => {
    expect(toCents(1_005_000n)).toBe(100n);
    expect(toCents(1_015_000n)).toBe(102n);
    expect(toCents(-1_005_000n)).toBe(-100n);
    expect(roundMicros(758_695n, 5)).toBe(758_700n);
    expect(roundMicros(758_685n, 5)).toBe(758_680n);
    expect(rescaleHalfEven(278_195n, 6, 5)).toBe(27_820n);
    expect(formatCents(-5n)).toBe('-0.05');
  });

  it('renders cumulative cents that never drift more than half a cent from the exact total (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -50_000_000n, max: 50_000_000n }), { maxLength: 60 }), (days) => {
        let exact = 0n;
        let rendered = 0n;
        for (const day of days) {
          rendered += cumulativeCents(exact, day);
          exact += day;
          const drift = rendered * 10_000n - exact;
          expect(drift <= 5_000n && drift >= -5_000n).toBe(true);
        }
      }),
      { numRuns: propertyRuns(2000) },
    );
  });
});

describe('pro-rata and allocation', () => {
  it('computes the panel pro-rata delivered charge: 0.90 for 1000 with 157 undelivered keeps 0.75870', () => {
    expect(proRata(900_000n, 843n, 1000n, 5)).toBe(758_700n);
    expect(900_000n - proRata(900_000n, 843n, 1000n, 5)).toBe(141_300n);
  });

  it('refuses a non-positive whole', () => {
    expect(() => proRata(1n, 1n, 0n)).toThrowError(RangeError);
  });

  it('splits by ratios with the largest remainder, deterministically', () => {
    expect(allocate(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
    expect(allocate(-100n, [1n, 1n, 1n])).toEqual([-34n, -33n, -33n]);
    expect(allocate(5n, [0n, 3n, 1n])).toEqual([0n, 4n, 1n]);
    expect(() => allocate(5n, [0n])).toThrowError(/zero/);
  });

  it('allocation pieces always sum exactly to the input (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc
          .array(fc.bigInt({ min: 0n, max: 10_000n }), { minLength: 1, maxLength: 12 })
          .filter((ratios) => ratios.some((r) => r > 0n)),
        (amount, ratios) => {
          const pieces = allocate(amount, ratios);
          expect(pieces.reduce((sum, piece) => sum + piece, 0n)).toBe(amount);
          ratios.forEach((ratio, index) => {
            if (ratio === 0n) expect(pieces[index]).toBe(0n);
          });
        },
      ),
      { numRuns: propertyRuns(5000) },
    );
  });

  it('pro-rata pieces of a whole sum back to the amount within the rounding of each piece (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 10n }), fc.bigInt({ min: 1n, max: 100_000n }), (amount, whole) => {
        const part = whole / 3n;
        const delivered = proRata(amount, part, whole, 5);
        const undelivered = proRata(amount, whole - part, whole, 5);
        const error = delivered + undelivered - amount;
        expect(error >= -10n && error <= 10n).toBe(true);
        expect(delivered % 10n).toBe(0n);
      }),
      { numRuns: propertyRuns(5000) },
    );
  });
});
