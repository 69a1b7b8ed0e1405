import { sql } from 'kysely';
import { z } from 'zod';
import type { CloseTaken, LoggedClose } from '../ledger/index.js';
import type { LedgerStore, LedgerTx } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';

/** One raw reply as landed: what was asked and what came back. */
export interface StoredReply {
  id: bigint;
  action: string;
  params: Record<string, string>;
  httpStatus: number;
  body: string;
}

const StoredRequestSchema = z.lazy(() => z.object({ params: z.record(z.string(), z.string()) }));

/** Every committed close of a source up to `to`, by day, each day's in the order they committed. */
export async function storedCloses(store: LedgerStore, sourceId: string, to: string): Promise<LoggedClose[]> {
  const rereads = new Map<bigint, bigint>();
  for await (const row of store.iterate(
    queryBuilder(store)
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
  store: LedgerTx,
  reread: { closeId: bigint; valueMicros: bigint; runId: string; now: Date },
): Promise<void> {
  await store.run(
    queryBuilder(store).insertInto('close_rereads').values({
      close_id: reread.closeId,
      value_micros: reread.valueMicros,
      run_id: reread.runId,
      created_at: reread.now.toISOString(),
    }),
  );
}

/** The raw replies a close's run landed for the source, in the order they arrived. */
export async function closeReplies(store: LedgerStore, sourceId: string, runId: string): Promise<StoredReply[]> {
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
  store: LedgerStore,
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

/**
 * Records the close actually taken: `source_closes` keeps the day's latest
 * snapshot (what the next close compares with), `close_log` every committed
 * close with its run, so a replay can find each one's raw replies.
 */
export async function logClose(store: LedgerTx, close: CloseTaken): Promise<void> {
  const values = {
    source_id: close.sourceId,
    date: close.date,
    metric: close.metric,
    value_micros: close.valueMicros,
    currency: close.currency,
    raw_observation_id: close.rawObservationId === undefined ? null : BigInt(close.rawObservationId),
    taken_at: close.now.toISOString(),
  };
  await store.run(
    queryBuilder(store)
      .insertInto('source_closes')
      .values(values)
      .onConflict((conflict) =>
        conflict.columns(['source_id', 'date', 'metric']).doUpdateSet({
          value_micros: values.value_micros,
          raw_observation_id: values.raw_observation_id,
          taken_at: values.taken_at,
        }),
      ),
  );
  await store.run(
    queryBuilder(store)
      .insertInto('close_log')
      .values({ ...values, run_id: close.runId }),
  );
}

/** The date of a source's latest close, if it has one. */
/** The date of a source's first close (its books' first day), undefined before it has one. */
export async function firstLoggedClose(store: LedgerStore, sourceId: string): Promise<string | undefined> {
  const row = await store.first(
    queryBuilder(store)
      .selectFrom('source_closes')
      .select(sql<string | null>`MIN(date)`.as('date'))
      .where('source_id', '=', sourceId),
  );
  return row?.date ?? undefined;
}

export async function latestLoggedClose(store: LedgerStore, sourceId: string): Promise<string | undefined> {
  const row = await store.first(
    queryBuilder(store)
      .selectFrom('source_closes')
      .select(sql<string | null>`MAX(date)`.as('date'))
      .where('source_id', '=', sourceId),
  );
  return row?.date ?? undefined;
}
