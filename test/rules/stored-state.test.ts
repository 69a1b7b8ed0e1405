import { describe, expect, it } from 'vitest';
import { OrderLedgerStateSchema, type OrderLedgerState } from '../../src/rules/panel/order-ledger-state.js';
import { toStoredJson } from '../../src/rules/stored-state.js';

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
    const replaced = JSON.stringify(detail, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
    expect(toStoredJson(detail)).toBe(replaced);
    expect(toStoredJson(7n)).toBe('"7"');
  });

  it('refuses an amount that is not an integer of micro-units', () => {
    expect(OrderLedgerStateSchema.safeParse({ orderId: '1', bookedNetMicros: '0.75', terminal: false, baseline: false, lastObservedOn: '2026-03-02' }).success).toBe(false);
  });
});
