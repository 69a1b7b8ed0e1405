import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerStore } from '../../../../src/store/index.js';
import { registerOrders, saveOrderStates, type NewOrderRow } from '../../../../src/kinds/panel/books/panel-orders.js';
import { ordersBySource, ordersOpenSince } from '../../../../src/kinds/panel/books/order-reads.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir();
const NOW = '2026-03-05T01:00:00.000Z';

function order(orderId: string, createdAt: string | null = null): NewOrderRow {
  return { orderId, service: '1', quantity: 1000n, createdAt, discoveredVia: 'orders-file' };
}

/**
 * smm-panel: orders 1, 2 and 4 first seen 03-01, order 3 on 03-04; 2 finished, 4 unknown to the panel since 03-03.
 * other-panel: one open order.
 */
async function withOrders(read: (store: LedgerStore) => Promise<void>) {
  const store = await LedgerStore.open(join(tempDir(), 'ledger.sqlite'));
  try {
    await store.unitOfWork(async (tx) => {
      const early = { firstSeenDate: '2026-03-01', now: NOW };
      await registerOrders(tx, 'smm-panel', [order('1', '2026-02-27T10:00:00Z'), order('2'), order('4')], early);
      await registerOrders(tx, 'smm-panel', [order('3')], { firstSeenDate: '2026-03-04', now: NOW });
      await registerOrders(tx, 'other-panel', [order('9')], early);
      const observed = (orderId: string, terminal: boolean, unknownSince: string | null) => ({
        orderId,
        state: '{}',
        terminal,
        unknownSince,
        lastObservedDate: '2026-03-04',
      });
      await saveOrderStates(tx, 'smm-panel', [observed('2', true, null), observed('4', false, '2026-03-03')], NOW);
    });
    await read(store);
  } finally {
    await store.close();
  }
}

describe("the panel's orders as the read side reads them", () => {
  it("ordersOpenSince lists a source's open orders known to the panel and first seen by the day, oldest first (reconcile's stuck orders)", async () => {
    await withOrders(async (store) => {
      expect(await ordersOpenSince(store, 'smm-panel', '2026-03-03')).toEqual([
        { orderId: '1', firstSeenDate: '2026-03-01', createdAt: '2026-02-27T10:00:00Z' },
      ]);
      expect((await ordersOpenSince(store, 'smm-panel', '2026-03-04')).map((open) => open.orderId)).toEqual(['1', '3']);
    });
  });

  it("ordersBySource counts each source's open, unknown and finished orders, by source id (status's counts)", async () => {
    await withOrders(async (store) => {
      expect(await ordersBySource(store)).toEqual([
        { sourceId: 'other-panel', open: 1, unknown: 0, terminal: 0 },
        { sourceId: 'smm-panel', open: 2, unknown: 1, terminal: 1 },
      ]);
    });
  });
});
