import { createHash } from 'node:crypto';
import { localDateTime } from '../calendar/index.js';
import type { LedgerStore } from '../ledger/index.js';
import type { PanelProxyLedger } from '../sources/index.js';
import { landRawReply, registerPlacedOrder } from '../store/index.js';

/**
 * What `ledgerline panel-proxy` writes, built on the store. Each write commits
 * on its own: the raw reply first (kept even if the order cannot be), then the
 * order, registered as an orders file would name it, so that the next close
 * polls it like any other. Its created_at is the request time written in the
 * books' time zone ("2026-03-14T02:25:00.000+05:30" in Asia/Kolkata), so its
 * first ten characters, the date the close goes by, are the local date it was
 * placed on, and that date is also the raw row's as_of and the first-seen date.
 */
export function panelProxyLedger(store: LedgerStore, options: { sourceId: string; timezone: string; now: () => Date }): PanelProxyLedger {
  const { sourceId } = options;
  const local = localDateTime(options.timezone);
  return {
    landAddReply(reply, requestedAt) {
      return landRawReply(store, {
        sourceId: reply.sourceId,
        action: reply.action,
        request: JSON.stringify(reply.request),
        asOf: local(requestedAt).slice(0, 10),
        fetchedAt: reply.fetchedAt,
        httpStatus: reply.httpStatus,
        body: reply.bodyText,
        contentHash: createHash('sha256').update(reply.bodyText).digest('hex'),
        runId: null,
      });
    },
    recordPlacedOrder(order) {
      const createdAt = local(order.requestedAt);
      return registerPlacedOrder(
        store,
        sourceId,
        { orderId: order.orderId, service: order.service, quantity: order.quantity, createdAt, discoveredVia: 'proxy' },
        { firstSeenDate: createdAt.slice(0, 10), now: options.now().toISOString() },
      );
    },
  };
}
