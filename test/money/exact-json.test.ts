import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oldParseJsonExact } from '../../bench/support/replaced-json.mjs';
import { parseJsonExact } from '../../src/money/decimal.js';
import { propertyRuns } from '../support/soak.js';

type Outcome = { value: unknown } | { error: string };
function outcome(parse: (text: string) => unknown, text: string): Outcome {
  try {
    return { value: parse(text) };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

/** Same value (own keys such as "__proto__", prototypes, -0 all compared) or the same error text. */
function expectSameAsBefore(text: string): void {
  const now = outcome(parseJsonExact, text);
  const before = outcome(oldParseJsonExact, text);
  if ('error' in before) expect(now).toEqual(before);
  else
    expect(
      'value' in now && isDeepStrictEqual(now.value, before.value),
      `${JSON.stringify(text)} → ${JSON.stringify(now)}`,
    ).toBe(true);
}

const space = fc.constantFrom('', ' ', '\n\t', '\r\n  ');
const numberLiteral = fc.oneof(
  fc.constantFrom(
    '0',
    '-0',
    '0.0',
    '-0.000',
    '1e5',
    '1E+5',
    '-2.5e-7',
    '1.0e-5',
    '123456789012345678901234567890',
    '9007199254740993',
    '0.1',
    '1e400',
    '-1e-400',
  ),
  fc
    .tuple(
      fc.boolean(),
      fc.bigInt({ min: 0n, max: 10n ** 30n }),
      fc.option(fc.nat(), { nil: undefined }),
      fc.option(fc.integer({ min: -400, max: 400 }), { nil: undefined }),
    )
    .map(
      ([negative, whole, fraction, exponent]) =>
        `${negative ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}${exponent === undefined ? '' : `e${exponent}`}`,
    ),
);
const stringLiteral = fc
  .oneof(
    fc.string({ unit: 'binary' }),
    fc.constantFrom(
      '12:30,',
      '1,2]',
      'a\\"1.0',
      '\\',
      '"',
      '-1',
      '__proto__',
      'toJSON',
      '\u2028',
      '\ud800',
      'caf\u00e9 \u{1f600}',
    ),
  )
  .map((text) => JSON.stringify(text));
const keyLiteral = fc.oneof(stringLiteral, fc.constantFrom('"__proto__"', '"a"', '"constructor"', '"0"', '"23501"'));
const jsonText: fc.Arbitrary<string> = fc
  .letrec<{ value: string }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      numberLiteral,
      stringLiteral,
      fc.constantFrom('true', 'false', 'null'),
      fc
        .array(fc.tuple(space, tie('value'), space), { maxLength: 5 })
        .map((items) => `[${items.map((item) => item.join('')).join(',')}]`),
      fc
        .array(fc.tuple(space, keyLiteral, space, space, tie('value'), space), { maxLength: 5 })
        .map(
          (entries) => `{${entries.map(([a, key, b, c, value, d]) => `${a}${key}${b}:${c}${value}${d}`).join(',')}}`,
        ),
    ),
  }))
  .value.chain((value) => space.map((outer) => `${outer}${value}${outer}`));

describe('parseJsonExact', () => {
  it('keeps every number literal of a reply as its text, with or without numbers in it', () => {
    expect(parseJsonExact('{"charge":0.27819,"order":23501,"list":[-1.5e3,"4.5"],"s":"a\\"1.0"}')).toEqual({
      charge: '0.27819',
      order: '23501',
      list: ['-1.5e3', '4.5'],
      s: 'a"1.0',
    });
    expect(parseJsonExact('{"23501":{"charge":"0.27819","remains":"157","note":"at 12:30, 4]"}}')).toEqual({
      23501: { charge: '0.27819', remains: '157', note: 'at 12:30, 4]' },
    });
    expect(parseJsonExact(' -0 ')).toBe('-0');
    expect(parseJsonExact('[1e400, 9007199254740993]')).toEqual(['1e400', '9007199254740993']);
  });

  it('reads duplicate keys, "__proto__" keys and bare-number keys exactly as before', () => {
    for (const text of [
      '{"a":1,"a":"x"}',
      '{"a":"x","a":1}',
      '{"__proto__":1}',
      '{"__proto__":{"b":2}}',
      '{"__proto__":"x"}',
      '{1:"a"}',
      '{-1.5e3: 2}',
    ]) {
      expectSameAsBefore(text);
    }
    expect(Object.keys(parseJsonExact('{"__proto__":{"b":"x"}}') as object)).toEqual(['__proto__']);
    expect(parseJsonExact('{1:"a"}')).toEqual({ 1: 'a' });
  });

  it('refuses what is not JSON with the same error as before', () => {
    for (const text of [
      '',
      ' ',
      '{"a":01}',
      '{"a":tru}',
      '{"a":"unterminated',
      '{"a":"x\\',
      '[1,]',
      '{"a":-}',
      '\ufeff{"a":"1"}',
      'null x',
      '<html>',
    ]) {
      expectSameAsBefore(text);
    }
    expect(() => parseJsonExact('{"a":01}')).toThrowError(SyntaxError);
  });

  it('gives the same value as before for any JSON text: nested, escaped, unicode, numbers of every form', () => {
    fc.assert(fc.property(jsonText, expectSameAsBefore), { numRuns: propertyRuns(3000) });
  });

  it('gives the same value or error as before for JSON with a character dropped, doubled or replaced', () => {
    const broken = fc
      .tuple(
        jsonText,
        fc.nat(),
        fc.constantFrom('', '"', '\\', '-', '0', '1', ':', ',', '{', '}', '[', ']', 'e', '.', ' '),
        fc.boolean(),
      )
      .map(([text, at, char, replace]) => {
        const index = text.length === 0 ? 0 : at % text.length;
        return text.slice(0, index) + char + text.slice(replace ? index + 1 : index);
      });
    fc.assert(fc.property(broken, expectSameAsBefore), { numRuns: propertyRuns(3000) });
  });

  it('gives the same value or error as before for any text of JSON characters', () => {
    const chars = fc.constantFrom(...'{}[]":,-+.0123456789eE \\tnrufals'.split(''));
    fc.assert(fc.property(fc.string({ unit: chars, maxLength: 40 }), expectSameAsBefore), {
      numRuns: propertyRuns(3000),
    });
  });
});
