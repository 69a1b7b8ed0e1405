import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderLedgerStateSchema, type OrderLedgerState } from '../../src/kinds/panel/rules/order-ledger-state.js';
import { oldStoredJson } from '../../bench/support/replaced-json.mjs';
import { toStoredJson } from '../../src/rules/stored-state.js';
import { propertyRuns } from '../support/soak.js';

function written(write: (state: unknown) => string, state: unknown): { text: string | undefined } | { error: string } {
  try {
    return { text: write(state) };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

function expectSameTextAsBefore(state: unknown): void {
  expect(written(toStoredJson, state)).toEqual(written(oldStoredJson, state));
}

describe('stored rule state', () => {
  it('an order state survives JSON with its amounts exact', () => {
    const state: OrderLedgerState = {
      orderId: '23501',
      currency: 'USD',
      bookedNetMicros: 758_700n,
      firstChargeMicros: 900_000n,
      statusNormalized: 'partial',
      statusRaw: 'Partial',
      terminal: true,
      baseline: false,
      lastObservedOn: '2026-03-02',
      eventSequence: { date: '2026-03-02', count: 2 },
    };
    const json = toStoredJson(state);
    expect(json).toContain('"bookedNetMicros":"758700"');
    expect(OrderLedgerStateSchema.parse(JSON.parse(json))).toEqual(state);
  });

  it('writes the same text a bigint-aware replacer writes, nested amounts, lists, dates and absent fields included', () => {
    const detail = {
      amountMicros: -5n,
      charges: [1n, { net: 2n, note: undefined }],
      at: new Date('2026-03-02T00:00:00Z'),
      nothing: null,
      skipped: undefined,
      orphan: Object.assign(Object.create(null) as object, { micros: 3n }),
    };
    const replaced = JSON.stringify(detail, (_key, value: unknown) =>
      typeof value === 'bigint' ? value.toString() : value,
    );
    expect(toStoredJson(detail)).toBe(replaced);
    expect(toStoredJson(7n)).toBe('"7"');
  });

  it('refuses an amount that is not an integer of micro-units', () => {
    expect(
      OrderLedgerStateSchema.safeParse({
        orderId: '1',
        bookedNetMicros: '0.75',
        terminal: false,
        baseline: false,
        lastObservedOn: '2026-03-02',
      }).success,
    ).toBe(false);
  });

  it('writes the same text as before for any value: nested, unicode, escapes, negative and huge bigints, dates, holes, null prototypes', () => {
    const anything = fc.anything({
      withBigInt: true,
      withDate: true,
      withNullPrototype: true,
      withSparseArray: true,
      withBoxedValues: true,
      withObjectString: true,
      withUnicodeString: true,
      maxDepth: 4,
    });
    fc.assert(fc.property(anything, expectSameTextAsBefore), { numRuns: propertyRuns(3000) });
  });

  it('writes the same text as before for order states and event details of every form', () => {
    const micros = fc.oneof(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.constantFrom(0n, -1n, -(2n ** 64n)));
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom('"', '\\', '\n', '\u2028', '\ud800', 'caf\u00e9 \u{1f600}'),
    );
    const state = fc.record(
      {
        orderId: text,
        currency: fc.constantFrom('USD', 'EUR'),
        bookedNetMicros: micros,
        firstChargeMicros: fc.option(micros, { nil: undefined }),
        statusRaw: text,
        terminal: fc.boolean(),
        lastObservedOn: fc.constant('2026-03-02'),
        eventSequence: fc.option(fc.record({ date: fc.constant('2026-03-02'), count: fc.nat() }), { nil: undefined }),
        charges: fc.array(fc.oneof(micros, fc.record({ net: micros, note: fc.option(text, { nil: undefined }) })), {
          maxLength: 3,
        }),
        at: fc.date({ noInvalidDate: false }),
      },
      { requiredKeys: ['orderId', 'bookedNetMicros'] },
    );
    const detail = fc.dictionary(text, fc.oneof(text, micros, fc.constant(undefined)), { maxKeys: 8 });
    fc.assert(fc.property(fc.oneof(state, detail), expectSameTextAsBefore), { numRuns: propertyRuns(2000) });
  });

  it('leaves out a toJSON that is not an own enumerable key and a "__proto__" key, as before', () => {
    const hidden = Object.defineProperty({ a: 'x' }, 'toJSON', { value: () => 'called', enumerable: false });
    const own = { a: 1n, toJSON: () => 'called' };
    const protoKey = JSON.parse('{"__proto__":{"b":"y"},"c":"z"}') as object;
    const protoKeyWithAmount = Object.assign(JSON.parse('{"__proto__":{"b":"y"}}') as object, { micros: 4n });
    const hiddenInList = Object.defineProperty(['x'], 'toJSON', { value: () => 'called', enumerable: false });
    for (const state of [hidden, own, protoKey, protoKeyWithAmount, hiddenInList, { nested: hidden }, [protoKey]])
      expectSameTextAsBefore(state);
    expect(toStoredJson(hidden)).toBe('{"a":"x"}');
    expect(toStoredJson(protoKey)).toBe('{"c":"z"}');
  });

  it('leaves the value it is given unchanged', () => {
    const state = { bookedNetMicros: 5n, nested: { micros: [1n, 'a'] } };
    toStoredJson(state);
    expect(state).toEqual({ bookedNetMicros: 5n, nested: { micros: [1n, 'a'] } });
  });
});
