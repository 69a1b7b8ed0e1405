import { webhookInboxEntry, type RecordedWebhook, type WebhookInbox } from '../../sources/index.js';
import type { LandingBooks } from './books/landing-books.js';

/**
 * What `ledgerline webhooks` writes, built on the store: each delivery's
 * inbox row, and when its body does not read a quarantine row, in one unit of
 * work. A resend of a stored row (same dedupe_key) adds nothing.
 */
export function webhookInbox(books: LandingBooks): WebhookInbox {
  return {
    record(delivery) {
      const entry = webhookInboxEntry(delivery);
      return books.unit(async (tx): Promise<RecordedWebhook> => {
        const { id, duplicate } = await tx.recordDelivery(entry);
        if (entry.status === 'stored') return { status: 'stored', id, duplicate };
        if (!duplicate) {
          await tx.quarantineDelivery(
            {
              sourceId: entry.sourceId,
              webhookId: id,
              reason: `webhook body refused: ${entry.reason}`,
              asOf: entry.receivedAt.slice(0, 10),
            },
            delivery.receivedAt,
          );
        }
        return { status: 'invalid', id, duplicate, reason: entry.reason };
      });
    },
  };
}
