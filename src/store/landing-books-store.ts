import type { LandingBooks } from '../pipeline/landing/landing-books.js';
import { insertWebhookOnce, markWebhooksProcessed, readableWebhooks } from './webhook-inbox.js';
import { landRawReply, quarantine } from './landing.js';
import type { LedgerStore } from './ledger-store.js';

/** The landing's port (pipeline/landing/landing-books.ts) over the store's repositories; it asks the database nothing until a verb is called. */
const landingVerbsOver = (store: LedgerStore) => {
  return {
    landRawReply: (reply: {
      sourceId: string;
      action: string;
      request: unknown;
      asOf: string;
      fetchedAt: string;
      httpStatus: number;
      body: string;
      contentHash: string;
      runId: string | null;
    }) => landRawReply(store, { ...reply, request: JSON.stringify(reply.request) }),
    recordDelivery: (delivery: {
      sourceId: string;
      kind: string;
      dedupeKey: string;
      receivedAt: string;
      body: string;
      status: 'stored' | 'invalid';
      note: string | null;
    }) =>
      insertWebhookOnce(store, {
        source_id: delivery.sourceId,
        kind: delivery.kind,
        dedupe_key: delivery.dedupeKey,
        received_at: delivery.receivedAt,
        body: delivery.body,
        status: delivery.status,
        note: delivery.note,
      }),
    quarantineDelivery: (delivery: { sourceId: string; webhookId: bigint; reason: string; asOf: string }, now: Date) =>
      store.unitOfWork((tx) => quarantine(tx, delivery, now)),
    async *readableWebhooks(sourceId: string, kind: string, since?: string) {
      for await (const row of readableWebhooks(store, sourceId, kind, since))
        yield { id: row.id, status: row.status, receivedAt: row.received_at, body: row.body };
    },
    markWebhooksProcessed: (webhookIds: readonly bigint[]) =>
      store.unitOfWork((tx) => markWebhooksProcessed(tx, webhookIds)),
  };
};

/** Its verbs, and `unit`, which hands its work the same verbs bound to the unit's transaction (`tx`). */
export const landingBooksOver = (store: LedgerStore) =>
  ({
    ...landingVerbsOver(store),
    unit: <T>(work: (tx: ReturnType<typeof landingVerbsOver>) => Promise<T>) =>
      store.unitOfWork((tx) => work(landingVerbsOver(tx))),
  }) satisfies LandingBooks;
