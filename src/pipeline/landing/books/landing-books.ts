import type { RawObservationId } from '../../../errors.js';
import type { StoreHandle, StoreTx } from '../../../store/index.js';
import { landRawReply, quarantine } from './landing-rows.js';
import { insertWebhookOnce, markWebhooksProcessed, readableWebhooks } from './webhook-inbox-rows.js';

/** A reply as received, before anything reads it. */
export interface LandedReply {
  sourceId: string;
  action: string;
  /** What was asked (never the key). */
  request: unknown;
  asOf: string;
  fetchedAt: string;
  httpStatus: number;
  body: string;
  contentHash: string;
  /** The run that fetched it; null for a reply that came through the panel proxy, outside any run. */
  runId: string | null;
}

/** A webhook delivery as the inbox keeps it (deduplicated on its key). */
export interface InboxDelivery {
  sourceId: string;
  kind: string;
  dedupeKey: string;
  receivedAt: string;
  body: string;
  status: 'stored' | 'invalid';
  note: string | null;
}

/** A stored delivery the sources can read again. */
export interface ReadableWebhook {
  id: bigint;
  status: 'stored' | 'processed';
  receivedAt: string;
  body: string;
}

/** A delivery whose body did not read, kept with why for a person to look at. */
export interface QuarantinedDelivery {
  sourceId: string;
  webhookId: bigint;
  reason: string;
  asOf: string;
}

/** What the landing reads of the books: on the port itself and in its unit alike. */
export interface LandingBooksReads {
  /** A source's readable deliveries of one kind (stored or processed), oldest first, received at `since` or later. */
  readableWebhooks(sourceId: string, kind: string, since?: string): AsyncIterable<ReadableWebhook>;
}

/** The landing's writes, only in a unit of work (`LandingBooks.unit` hands them), with its reads. */
export interface LandingBooksTx extends LandingBooksReads {
  /** Keeps a reply as received; its id is what findings and quarantine entries point at. */
  landRawReply(reply: LandedReply): Promise<RawObservationId>;
  /** Adds a delivery to the inbox unless one with its dedupe key is there. */
  recordDelivery(delivery: InboxDelivery): Promise<{ id: bigint; duplicate: boolean }>;
  quarantineDelivery(delivery: QuarantinedDelivery, now: Date): Promise<void>;
  markWebhooksProcessed(webhookIds: readonly bigint[]): Promise<void>;
}

/** What the landing needs of the books: its reads, and a unit of work whose `tx` alone writes (issue 53 item 4). */
export interface LandingBooks extends LandingBooksReads {
  unit<T>(work: (tx: LandingBooksTx) => Promise<T>): Promise<T>;
}

/** The landing's reads over the store or a unit's `tx`; the sync's books read the stored deliveries through them too. */
export const landingReadsOver = (store: StoreHandle): LandingBooksReads => ({
  readableWebhooks: (sourceId, kind, since) => readableWebhooks(store, sourceId, kind, since),
});

/** The landing's writes and reads over a unit's `tx`; it asks the database nothing until a verb is called. */
export const landingTxOver = (tx: StoreTx): LandingBooksTx => ({
  ...landingReadsOver(tx),
  landRawReply: (reply) => landRawReply(tx, { ...reply, request: JSON.stringify(reply.request) }),
  recordDelivery: (delivery) => insertWebhookOnce(tx, delivery),
  quarantineDelivery: (delivery, now) => quarantine(tx, delivery, now),
  markWebhooksProcessed: (webhookIds) => markWebhooksProcessed(tx, webhookIds),
});

/** The landing's books over the store's handle (`books.of(landingBooks)`): its reads, and `unit`, whose `tx` alone writes. */
export const landingBooks = (store: StoreHandle): LandingBooks => ({
  ...landingReadsOver(store),
  unit: (work) => store.unitOfWork((tx) => work(landingTxOver(tx))),
});
