import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { panelProxyLedger } from '../../src/pipeline/panel-proxy-ledger.js';
import { LedgerStore, collect, openOrders } from '../../src/store/index.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();

describe('what the panel proxy writes to the ledger', () => {
  it('an order placed at 20:55 UTC on 03-13 is, in Asia/Kolkata, placed on 03-14: an open order of the source like any other', async () => {
    const store = await LedgerStore.open(join(tempDir(), 'ledger.sqlite'));
    try {
      const ledger = panelProxyLedger(store, { sourceId: 'smm-panel', timezone: 'Asia/Kolkata', now: () => new Date('2026-03-13T20:55:01Z') });
      const requestedAt = new Date('2026-03-13T20:55:00Z');
      const raw = await ledger.landAddReply(
        {
          sourceId: 'smm-panel',
          action: 'add',
          request: { method: 'POST', path: '/api/v2', params: { action: 'add', service: '1', quantity: '1000' } },
          httpStatus: 200,
          bodyText: '{"order": 23501}',
          fetchedAt: '2026-03-13T20:55:00.800Z',
        },
        requestedAt,
      );
      expect(raw).toBe(1n);
      const order = { orderId: '23501', service: '1', quantity: 1000n, requestedAt };
      expect([await ledger.recordPlacedOrder(order), await ledger.recordPlacedOrder(order)]).toEqual(['registered', 'already-known']);

      expect(await collect(openOrders(store, 'smm-panel'))).toEqual([
        { orderId: '23501', service: '1', quantity: 1000n, createdAt: '2026-03-14T02:25:00.000+05:30', discoveredVia: 'proxy', state: null },
      ]);
      expect(store.sqlite.prepare('SELECT first_seen_date FROM orders').pluck().all()).toEqual(['2026-03-14']);
      expect(store.sqlite.prepare('SELECT as_of, fetched_at, run_id, body FROM raw_observations').all()).toEqual([
        { as_of: '2026-03-14', fetched_at: '2026-03-13T20:55:00.800Z', run_id: null, body: '{"order": 23501}' },
      ]);
    } finally {
      await store.close();
    }
  });
});
