import { createHash } from 'node:crypto';
import type { LedgerStore } from '../ledger/index.js';
import type { RawObservationId } from '../errors.js';
import type { OnRawReply, RawReply } from '../http/raw-reply.js';

/**
 * Lands every reply as received, before anything reads it (DESIGN §1). Each
 * row commits on its own, outside the source's booking transaction: a reply
 * that was fetched is never lost, even when the run dies right after. A dry
 * run lands nothing.
 */
export function rawLanding(store: LedgerStore, options: { asOf: string; runId: string; dryRun: boolean }): OnRawReply {
  return (reply: RawReply): RawObservationId | undefined => {
    if (options.dryRun) return undefined;
    const result = store.run(
      store.db.insertInto('raw_observations').values({
        source_id: reply.sourceId,
        action: reply.action,
        request: JSON.stringify(reply.request),
        as_of: options.asOf,
        fetched_at: reply.fetchedAt,
        http_status: reply.httpStatus,
        body: reply.bodyText,
        content_hash: createHash('sha256').update(reply.bodyText).digest('hex'),
        run_id: options.runId,
      }),
    );
    return result.lastInsertRowid;
  };
}

export interface QuarantineRecord {
  sourceId: string;
  rawObservationId?: RawObservationId | undefined;
  webhookId?: bigint | undefined;
  itemRef?: string | undefined;
  reason: string;
  asOf: string;
}

/** Keeps what could not be read, with why, for a person to look at; the run goes on without it. */
export function quarantine(store: LedgerStore, record: QuarantineRecord, now: Date): void {
  store.run(
    store.db.insertInto('quarantine').values({
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
