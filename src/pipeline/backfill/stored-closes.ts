import { z } from 'zod';
import type { LedgerStore } from '../../ledger/index.js';

/** One committed close, as the close log recorded it. */
export interface StoredClose {
  date: string;
  runId: string;
  metric: string;
  valueMicros: bigint;
  currency: string;
}

/** One raw reply as landed: what was asked and what came back. */
export interface StoredReply {
  id: bigint;
  action: string;
  params: Record<string, string>;
  httpStatus: number;
  body: string;
}

const StoredRequestSchema = z.object({ params: z.record(z.string(), z.string()) });

/** Every committed close of a source up to `to`, in the order they committed. */
export function storedCloses(store: LedgerStore, sourceId: string, to: string): StoredClose[] {
  return store
    .all(
      store.db
        .selectFrom('close_log')
        .select(['date', 'run_id', 'metric', 'value_micros', 'currency'])
        .where('source_id', '=', sourceId)
        .where('date', '<=', to)
        .orderBy('id'),
    )
    .map((row) => ({ date: row.date, runId: row.run_id, metric: row.metric, valueMicros: BigInt(row.value_micros), currency: row.currency }));
}

/** The raw replies a close's run landed for the source, in the order they arrived. */
export function closeReplies(store: LedgerStore, sourceId: string, runId: string): StoredReply[] {
  return store
    .all(
      store.db
        .selectFrom('raw_observations')
        .select(['id', 'action', 'request', 'http_status', 'body'])
        .where('run_id', '=', runId)
        .where('source_id', '=', sourceId)
        .orderBy('id'),
    )
    .map((row) => ({
      id: BigInt(row.id),
      action: row.action,
      params: StoredRequestSchema.parse(JSON.parse(row.request)).params,
      httpStatus: Number(row.http_status),
      body: row.body,
    }));
}
