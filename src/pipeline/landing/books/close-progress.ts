import { sql } from 'kysely';
import type { SourceEvent } from '../../../rules/index.js';
import { queryBuilder, type StoreHandle } from '../../../store/index.js';

/**
 * How far a source's reading has got: the days its closes reached and the events a stopped close left unbooked.
 * Here beside its carried state (source-state.ts) because the sync and the backfill both read them and may not
 * import each other, while both may import the landing.
 */

/** The date of a source's first close (its books' first day), undefined before it has one. */
export async function firstLoggedClose(store: StoreHandle, sourceId: string): Promise<string | undefined> {
  const row = await store.first(
    queryBuilder(store)
      .selectFrom('source_closes')
      .select(sql<string | null>`MIN(date)`.as('date'))
      .where('source_id', '=', sourceId),
  );
  return row?.date ?? undefined;
}

/** The date of a source's latest close, if it has one. */
export async function latestLoggedClose(store: StoreHandle, sourceId: string): Promise<string | undefined> {
  const row = await store.first(
    queryBuilder(store)
      .selectFrom('source_closes')
      .select(sql<string | null>`MAX(date)`.as('date'))
      .where('source_id', '=', sourceId),
  );
  return row?.date ?? undefined;
}

/** A stored event as a journal takes it: its detail stays in the table. */
type UnjournaledEventRow = Omit<SourceEvent, 'detail'>;

/**
 * The source's events that no journal entry holds and that another run stored: those of a close that
 * stopped after booking some of its orders (a panel books them a polled chunk at a time) and before its
 * journal. Such a close is never dated before the latest committed one, so only events from `fromDate` on are read.
 */
export async function interruptedCloseEvents(
  store: StoreHandle,
  sourceId: string,
  meta: { fromDate: string | undefined; runId: string },
): Promise<UnjournaledEventRow[]> {
  let query = queryBuilder(store)
    .selectFrom('source_events')
    .select(['id', 'source_id as sourceId', 'kind', 'date', 'currency', 'amount_micros as amountMicros', 'ref'])
    .where('source_id', '=', sourceId)
    .where((where) =>
      where.not(
        where.exists(
          where
            .selectFrom('entry_events')
            .select('event_id')
            .whereRef('entry_events.event_id', '=', 'source_events.id'),
        ),
      ),
    )
    .where((where) => where.or([where('run_id', 'is', null), where('run_id', '<>', meta.runId)]))
    .orderBy('id');
  if (meta.fromDate !== undefined) query = query.where('date', '>=', meta.fromDate);
  return store.all(query);
}
