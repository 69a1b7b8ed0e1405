import { LedgerIntegrityError } from '../../../errors.js';
import { queryBuilder, type StoreHandle, type StoreTx, seals } from '../../../store/index.js';
import type { LandedReply } from './landing-books.js';

/** One reply as received, before anything reads it, with what was asked as JSON text (never the key). */
export type RawReplyRow = Omit<LandedReply, 'request'> & { request: string };

/** Stores a reply as received; returns its row id, which findings and quarantine entries point at. */
export async function landRawReply(store: StoreHandle, reply: RawReplyRow): Promise<bigint> {
  return store.unitOfWork(async (tx) => {
    const id = await insertRawReply(tx, reply);
    await seals.rows(tx, 'raw_observations', { id });
    return id;
  });
}

async function insertRawReply(store: StoreHandle, reply: RawReplyRow): Promise<bigint> {
  const landed = await store.first(
    queryBuilder(store)
      .insertInto('raw_observations')
      .values({
        source_id: reply.sourceId,
        action: reply.action,
        request: reply.request,
        as_of: reply.asOf,
        fetched_at: reply.fetchedAt,
        http_status: reply.httpStatus,
        body: reply.body,
        content_hash: reply.contentHash,
        run_id: reply.runId,
      })
      .returning('id'),
  );
  if (!landed) throw new LedgerIntegrityError(`raw_observations gave no id for a reply of ${reply.sourceId}`);
  return landed.id;
}

export interface QuarantineRecord {
  sourceId: string;
  rawObservationId?: bigint | number | undefined;
  webhookId?: bigint | undefined;
  itemRef?: string | undefined;
  reason: string;
  asOf: string;
}

/** Keeps what could not be read, with why, for a person to look at; the run goes on without it. */
export async function quarantine(store: StoreTx, record: QuarantineRecord, now: Date): Promise<void> {
  await store.run(
    queryBuilder(store)
      .insertInto('quarantine')
      .values({
        source_id: record.sourceId,
        raw_observation_id: record.rawObservationId === undefined ? null : BigInt(record.rawObservationId),
        webhook_id: record.webhookId ?? null,
        item_ref: record.itemRef ?? null,
        reason: record.reason,
        as_of: record.asOf,
        created_at: now.toISOString(),
        resolved_at: null,
      }),
  );
}
