import { describe, expect, it } from 'vitest';
import type { OrderLedgerState } from '../../../../src/kinds/panel/rules/order-ledger-state.js';
import { DEFAULT_UNKNOWN_RETENTION_DAYS, shouldRepoll } from '../../../../src/kinds/panel/rules/order-events.js';

const state = (fields: Partial<OrderLedgerState>): OrderLedgerState => ({
  orderId: '9',
  bookedNetMicros: 0n,
  terminal: false,
  baseline: false,
  lastObservedOn: '2026-03-01',
  ...fields,
});

describe('which orders are polled', () => {
  it('open orders are polled, terminal ones are not', () => {
    expect(shouldRepoll(state({ terminal: false }), '2026-03-02', DEFAULT_UNKNOWN_RETENTION_DAYS)).toBe(true);
    expect(shouldRepoll(state({ terminal: true }), '2026-03-02', DEFAULT_UNKNOWN_RETENTION_DAYS)).toBe(false);
  });

  it('an order unknown since 2026-03-01 is asked about through 2026-03-08, then dropped', () => {
    const unknown = state({ unknownSince: '2026-03-01' });
    expect(shouldRepoll(unknown, '2026-03-08', 7)).toBe(true);
    expect(shouldRepoll(unknown, '2026-03-09', 7)).toBe(false);
    expect(shouldRepoll(unknown, '2026-03-03', 1)).toBe(false);
  });
});
