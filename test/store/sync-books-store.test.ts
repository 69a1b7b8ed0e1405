import { describe, expect, it } from 'vitest';
import type { OrderLedgerState } from '../../src/kinds/panel/rules/order-ledger-state.js';
import { toStoredJson } from '../../src/rules/index.js';
import { orderStateJson } from '../../src/kinds/panel/books/panel-books.js';

const observed: OrderLedgerState = {
  orderId: '7000001',
  currency: 'USD',
  bookedNetMicros: -1_250_000n,
  firstChargeMicros: 2_500_000n,
  statusNormalized: 'partial',
  statusRaw: 'Partial',
  terminal: true,
  baseline: false,
  lastObservedOn: '2026-03-03',
  eventSequence: { date: '2026-03-03', count: 2 },
};

describe("an order's stored state", () => {
  it('is the text toStoredJson writes, key for key, with and without its optional fields', () => {
    const bare: OrderLedgerState = {
      orderId: '7000002',
      bookedNetMicros: 0n,
      terminal: false,
      baseline: true,
      unknownSince: '2026-03-01',
      lastObservedOn: '2026-03-02',
    };
    for (const state of [observed, bare, { ...observed, firstChargeMicros: undefined }])
      expect(orderStateJson(state)).toBe(toStoredJson(state));
    expect(orderStateJson(observed)).toContain('"bookedNetMicros":"-1250000","firstChargeMicros":"2500000"');
  });
});
