import type { Generated } from 'kysely';
import { LedgerIntegrityError } from '../../../errors.js';
import { queryBuilder, type StoreHandle, type StoreTx } from '../../../store/index.js';
import type { InboxDelivery, ReadableWebhook } from './landing-books.js';

/** The webhook inbox's table: the landing's books alone read and write it. */
export type WebhookInboxTables = { webhook_inbox: WebhookInboxTable };

const webhookInboxQueries = (store: StoreHandle) => queryBuilder(store).withTables<WebhookInboxTables>();

/**
 * Webhook deliveries as received. A row's dedupe_key is fixed once written
 * (a trigger refuses updates) and UNIQUE, so a resend lands once; only its
 * status moves, from stored to processed, when a close has booked it.
 */
interface WebhookInboxTable {
  id: Generated<bigint>;
  source_id: string;
  kind: string;
  dedupe_key: string;
  received_at: string;
  body: string;
  status: 'stored' | 'processed' | 'invalid';
  note: string | null;
}

/** Stores a delivery unless one with its dedupe_key is stored already; returns the row's id either way. */
export async function insertWebhookOnce(
  store: StoreHandle,
  delivery: InboxDelivery,
): Promise<{ id: bigint; duplicate: boolean }> {
  const inserted = await store.first(
    webhookInboxQueries(store)
      .insertInto('webhook_inbox')
      .values({
        source_id: delivery.sourceId,
        kind: delivery.kind,
        dedupe_key: delivery.dedupeKey,
        received_at: delivery.receivedAt,
        body: delivery.body,
        status: delivery.status,
        note: delivery.note,
      })
      .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
      .returning('id'),
  );
  if (inserted) return { id: inserted.id, duplicate: false };
  const existing = await store.first(
    webhookInboxQueries(store).selectFrom('webhook_inbox').select('id').where('dedupe_key', '=', delivery.dedupeKey),
  );
  if (!existing)
    throw new LedgerIntegrityError(`webhook_inbox refused ${delivery.dedupeKey} yet holds no row with that key`);
  return { id: existing.id, duplicate: true };
}

/** A source's readable deliveries (stored or already processed), oldest first, received at `since` or later. */
export function readableWebhooks(
  store: StoreHandle,
  sourceId: string,
  kind: string,
  since?: string,
): AsyncIterable<ReadableWebhook> {
  let query = webhookInboxQueries(store)
    .selectFrom('webhook_inbox')
    .select(['id', 'status', 'received_at as receivedAt', 'body'])
    .where('source_id', '=', sourceId)
    .where('kind', '=', kind)
    .where('status', 'in', ['stored', 'processed']);
  if (since !== undefined) query = query.where('received_at', '>=', since);
  return store.iterate(query.orderBy('id')) as AsyncIterable<ReadableWebhook>;
}

/** Marks deliveries a close has booked. */
export async function markWebhooksProcessed(store: StoreTx, webhookIds: readonly bigint[]): Promise<void> {
  if (webhookIds.length > 0)
    await store.run(
      webhookInboxQueries(store)
        .updateTable('webhook_inbox')
        .set({ status: 'processed' })
        .where('id', 'in', webhookIds),
    );
}
