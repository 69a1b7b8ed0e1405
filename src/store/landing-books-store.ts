import type {
  InboxDelivery,
  LandedReply,
  LandingBooks,
  LandingBooksReads,
  LandingBooksTx,
  QuarantinedDelivery,
} from '../pipeline/landing/landing-books.js';
import { insertWebhookOnce, markWebhooksProcessed, readableWebhooks } from './webhook-inbox.js';
import { landRawReply, quarantine } from './landing.js';
import type { LedgerStore, LedgerTx } from './ledger-store.js';

/** The landing's reads (pipeline/landing/landing-books.ts) over the store or a unit's `tx`. */
export const landingReadsOver = (store: LedgerStore) =>
  ({
    readableWebhooks: (sourceId: string, kind: string, since?: string) =>
      readableWebhooks(store, sourceId, kind, since),
  }) satisfies LandingBooksReads;

/** The landing's writes and reads over a unit's `tx`; it asks the database nothing until a verb is called. */
export const landingTxOver = (tx: LedgerTx) => {
  return {
    ...landingReadsOver(tx),
    landRawReply: (reply: LandedReply) => landRawReply(tx, { ...reply, request: JSON.stringify(reply.request) }),
    recordDelivery: (delivery: InboxDelivery) => insertWebhookOnce(tx, delivery),
    quarantineDelivery: (delivery: QuarantinedDelivery, now: Date) => quarantine(tx, delivery, now),
    markWebhooksProcessed: (webhookIds: readonly bigint[]) => markWebhooksProcessed(tx, webhookIds),
  } satisfies LandingBooksTx;
};

/** Its reads, and `unit`, which hands its work the writes and reads bound to the unit's transaction (`tx`). */
export const landingBooksOver = (store: LedgerStore) =>
  ({
    ...landingReadsOver(store),
    unit: <T>(work: (tx: ReturnType<typeof landingTxOver>) => Promise<T>) =>
      store.unitOfWork((tx) => work(landingTxOver(tx))),
  }) satisfies LandingBooks;
