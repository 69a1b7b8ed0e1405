import type { LedgerStore } from '../../ledger/index.js';
import { webhookInboxEntry, type RecordedWebhook, type WebhookInbox } from '../../sources/index.js';
import { insertWebhookOnce, quarantine } from '../../store/index.js';

/**
 * What `ledgerline webhooks` writes, built on the store: each delivery's
 * inbox row, and when its body does not read a quarantine row, in one unit of
 * work. A resend of a stored row (same dedupe_key) adds nothing.
 */
export function webhookInbox(store: LedgerStore): WebhookInbox {
  return {
    record(delivery) {
      const entry = webhookInboxEntry(delivery);
      return store.unitOfWork(async (): Promise<RecordedWebhook> => {
        const { id, duplicate } = await insertWebhookOnce(store, {
          source_id: entry.sourceId,
          kind: entry.kind,
          dedupe_key: entry.dedupeKey,
          received_at: entry.receivedAt,
          body: entry.body,
          status: entry.status,
          note: entry.note,
        });
        if (entry.status === 'stored') return { status: 'stored', id, duplicate };
        if (!duplicate) {
          await quarantine(store, { sourceId: entry.sourceId, webhookId: id, reason: `webhook body refused: ${entry.reason}`, asOf: entry.receivedAt.slice(0, 10) }, delivery.receivedAt);
        }
        return { status: 'invalid', id, duplicate, reason: entry.reason };
      });
    },
  };
}
