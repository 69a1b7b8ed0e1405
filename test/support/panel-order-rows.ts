import { toStoredJson } from '../../src/rules/index.js';
import type { OrderStateRow } from '../../src/kinds/panel/books/panel-orders.js';

/** An order as the night's orders file registers it: service 1, 1000 units, created 03-01. */
export const ordersFileOrder = (orderId: string) => ({
  orderId,
  service: '1',
  quantity: 1000n,
  createdAt: '2026-03-01T00:00:00.000Z',
  discoveredVia: 'orders-file',
});

/** A pending order's state as a close keeps it, the charge booked so far telling one state from another. */
export function pendingOrderRow(orderId: string, bookedNetMicros: bigint, date: string): OrderStateRow {
  return {
    orderId,
    state: pendingOrderState(orderId, bookedNetMicros, date),
    terminal: false,
    unknownSince: null,
    lastObservedDate: date,
  };
}

/** The stored JSON of a pending USD order's state, last observed on `lastObservedOn`. */
export function pendingOrderState(orderId: string, bookedNetMicros: bigint, lastObservedOn: string): string {
  return toStoredJson({
    orderId,
    currency: 'USD',
    bookedNetMicros,
    statusNormalized: 'open',
    terminal: false,
    baseline: false,
    lastObservedOn,
  });
}
