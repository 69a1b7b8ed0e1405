import { sql } from 'kysely';
import type { CloseActivity, SourceEvent } from '../rules/index.js';
import type { LedgerStore } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';

/** Each balance a panel reported at a close (the day's latest snapshot), by date: what a plain-text ledger asserts. */
export async function reportedBalances(
  store: LedgerStore,
  window: { from?: string | undefined; to?: string | undefined },
): Promise<{ sourceId: string; date: string; valueMicros: bigint; currency: string }[]> {
  let query = queryBuilder(store)
    .selectFrom('source_closes')
    .select(['source_id', 'date', 'value_micros', 'currency'])
    .where('metric', '=', 'balance')
    .orderBy('date')
    .orderBy('source_id');
  if (window.from) query = query.where('date', '>=', window.from);
  if (window.to) query = query.where('date', '<=', window.to);
  return (await store.all(query)).map((row) => ({
    sourceId: row.source_id,
    date: row.date,
    valueMicros: BigInt(row.value_micros),
    currency: row.currency,
  }));
}

/**
 * Each source's close of each day from `from` on (the day's last committed close: its figure) with the journal
 * entries of the source dated that day, in source and date order: what the silent-source finding judges.
 */
export async function closeActivity(store: LedgerStore, from: string): Promise<CloseActivity[]> {
  const db = queryBuilder(store);
  const closes = await store.all(
    db
      .selectFrom('close_log')
      .select(['source_id', 'date', 'value_micros'])
      .where(
        'id',
        'in',
        db
          .selectFrom('close_log')
          .select(sql<bigint>`MAX(id)`.as('id'))
          .where('date', '>=', from)
          .groupBy(['source_id', 'date']),
      )
      .orderBy('source_id')
      .orderBy('date'),
  );
  const entries = await store.all(
    db
      .selectFrom('journal_entries')
      .select(['source_id', 'date', sql<number>`COUNT(*)`.as('entries')])
      .where('date', '>=', from)
      .groupBy(['source_id', 'date']),
  );
  const booked = new Map(entries.map((row) => [`${row.source_id} ${row.date}`, Number(row.entries)]));
  return closes.map((row) => ({
    sourceId: row.source_id,
    date: row.date,
    valueMicros: BigInt(row.value_micros),
    entries: booked.get(`${row.source_id} ${row.date}`) ?? 0,
  }));
}

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

/** The date of a source's latest close, if it has one. */
export async function latestLoggedClose(store: LedgerStore, sourceId: string): Promise<string | undefined> {
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
  store: LedgerStore,
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
