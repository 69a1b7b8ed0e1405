import type { z } from 'zod';
import type { Ledger } from '../../../ledger/index.js';
import type { SourceEvent } from '../../../rules/index.js';
import { queryBuilder, type StoreHandle, type StoreTx } from '../../../store/index.js';
import { readSourceState, writeSourceState } from './source-state.js';

/**
 * How far a source's reading has got: the days its closes reached, the state it carries (source-state.ts) and the
 * events a stopped close left unbooked; and the shape the sync's books and the backfill's share. Here, written once,
 * because the two read them alike and may not import each other, while both may import the landing.
 */

/**
 * A close's books, the sync's and the backfill's alike: its reads, and a unit of work whose `tx` hands its writes,
 * its reads and the journal (`ledger`), all bound to the unit's transaction, so what a close books commits whole or
 * not at all. The writes are only on that `tx` (issue 53 item 4).
 */
export type CloseBooks<Reads, Tx> = Reads & { unit<T>(work: (tx: CloseUnit<Tx>) => Promise<T>): Promise<T> };

/** A close's unit of work: its writes and reads, and the journal (`ledger`), every one bound to the unit's transaction. */
export type CloseUnit<Tx> = Tx & { readonly ledger: Ledger };

/** How far a source's closes have got, as its close and its replay both read it: on the port and in its unit alike. */
export interface CloseProgressReads {
  latestClose(sourceId: string): Promise<string | undefined>;
  /** The date of the source's first close, where its books begin; undefined before it has one. */
  firstClose(sourceId: string): Promise<string | undefined>;
  /** A staged kind's state after its latest close, as its own schema reads it; undefined before its first. */
  closeState<S extends z.ZodType>(sourceId: string, schema: S): Promise<z.output<S> | undefined>;
}

/** What a close and a replay keep of a source's progress, only in a unit of work. */
export interface CloseProgressTx {
  /** A staged kind's state after its close (or its replay), kept for the next one. */
  saveCloseState(sourceId: string, state: unknown, now: Date): Promise<void>;
}

/** A close's progress read over the store or a unit's `tx`. */
export const closeProgressReads = (store: StoreHandle): CloseProgressReads => ({
  latestClose: (sourceId) => closeDay(store, sourceId, 'max'),
  firstClose: (sourceId) => closeDay(store, sourceId, 'min'),
  closeState: (sourceId, schema) => readSourceState(store, sourceId, 'closeState', schema),
});

/** A close's progress kept in a unit's `tx`. */
export const closeProgressTx = (tx: StoreTx): CloseProgressTx => ({
  saveCloseState: (sourceId, state, now) => writeSourceState(tx, sourceId, 'closeState', state, now),
});

/** The day of a source's first close (`min`: where its books begin) or of its latest (`max`); undefined before its first. */
async function closeDay(store: StoreHandle, sourceId: string, end: 'min' | 'max'): Promise<string | undefined> {
  const row = await store.first(
    queryBuilder(store)
      .selectFrom('source_closes')
      .select((eb) => eb.fn[end]<string | null>('date').as('date'))
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
