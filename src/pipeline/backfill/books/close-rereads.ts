import type { Generated } from 'kysely';
import { z } from 'zod';
import type { LoggedClose } from '../../../ledger/index.js';
import type { StoredReply } from '../../../sources/index.js';
import { queryBuilder, type StoreHandle, type StoreTx } from '../../../store/index.js';

/** The backfill's re-reads of a close (its table is this folder's alone). */
type CloseRereadTables = { close_rereads: CloseRereadTable };

const closeRereadQueries = (store: StoreHandle) => queryBuilder(store).withTables<CloseRereadTables>();

interface CloseRereadTable {
  id: Generated<bigint>;
  close_id: bigint;
  value_micros: bigint;
  run_id: string;
  created_at: string;
}

const StoredRequestSchema = z.lazy(() => z.object({ params: z.record(z.string(), z.string()) }));

/** Every committed close of a source up to `to`, by day, each day's in the order they committed. */
export async function storedCloses(store: StoreHandle, sourceId: string, to: string): Promise<LoggedClose[]> {
  const rereads = new Map<bigint, bigint>();
  for await (const row of store.iterate(
    closeRereadQueries(store)
      .selectFrom('close_rereads as r')
      .innerJoin('close_log as c', 'c.id', 'r.close_id')
      .select(['r.close_id', 'r.value_micros'])
      .where('c.source_id', '=', sourceId)
      .orderBy('r.id'),
  )) {
    rereads.set(BigInt(row.close_id), BigInt(row.value_micros));
  }
  return (
    await store.all(
      queryBuilder(store)
        .selectFrom('close_log')
        .select(['id', 'date', 'run_id', 'metric', 'value_micros', 'currency'])
        .where('source_id', '=', sourceId)
        .where('date', '<=', to)
        // By day, then as committed: the days a backfill read before the first close commit after it (issue 83 item 6).
        .orderBy('date')
        .orderBy('id'),
    )
  ).map((row) => {
    const closeId = BigInt(row.id);
    return {
      closeId,
      date: row.date,
      runId: row.run_id,
      metric: row.metric,
      valueMicros: rereads.get(closeId) ?? BigInt(row.value_micros),
      currency: row.currency,
    };
  });
}

/** Keeps the figure a replay read from a close's reply, so the next replay and the books count from it. */
export async function recordReread(
  store: StoreTx,
  reread: { closeId: bigint; valueMicros: bigint; runId: string; now: Date },
): Promise<void> {
  await store.run(
    closeRereadQueries(store).insertInto('close_rereads').values({
      close_id: reread.closeId,
      value_micros: reread.valueMicros,
      run_id: reread.runId,
      created_at: reread.now.toISOString(),
    }),
  );
}

/** The raw replies a close's run landed for the source, in the order they arrived. */
export async function closeReplies(store: StoreHandle, sourceId: string, runId: string): Promise<StoredReply[]> {
  return (
    await store.all(
      queryBuilder(store)
        .selectFrom('raw_observations')
        .select(['id', 'action', 'request', 'http_status', 'body'])
        .where('run_id', '=', runId)
        .where('source_id', '=', sourceId)
        .orderBy('id'),
    )
  ).map((row) => ({
    id: BigInt(row.id),
    action: row.action,
    params: StoredRequestSchema.parse(JSON.parse(row.request)).params,
    httpStatus: Number(row.http_status),
    body: row.body,
  }));
}

/** How many closes of a source the log holds between two dates (from the first when `from` is left out). */
export async function closeCount(
  store: StoreHandle,
  sourceId: string,
  dates: { from?: string; to: string },
): Promise<number> {
  let query = queryBuilder(store)
    .selectFrom('close_log')
    .select((eb) => eb.fn.countAll<number>().as('closes'))
    .where('source_id', '=', sourceId)
    .where('date', '<=', dates.to);
  if (dates.from !== undefined) query = query.where('date', '>=', dates.from);
  return Number((await store.first(query))?.closes ?? 0);
}
