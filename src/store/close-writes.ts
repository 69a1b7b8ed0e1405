import { sql } from 'kysely';
import { insertRows, type LedgerStore, LedgerTx } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';
import type { Finding, SourceEvent } from '../rules/index.js';

/**
 * What a source's close writes besides its orders (panel-orders.ts): its
 * events, by the thousand through one RowStatement (LedgerStore.returningEach),
 * and its findings.
 */

/** An event as the store keeps it: its detail as JSON text. */
export type SourceEventRow = Omit<SourceEvent, 'detail'> & { detail: string };

const EVENT_COLUMNS = {
  id: 'text',
  source_id: 'text',
  kind: 'text',
  date: 'text',
  currency: 'text',
  amount_micros: 'bigint',
  ref: 'text',
  detail: 'text',
  run_id: 'text',
  created_at: 'text',
} as const;

/** A close's events share their source, run and time, and mostly their date and currency (bound once a statement). */
const SHARED_EVENT_COLUMNS = ['source_id', 'date', 'currency', 'run_id', 'created_at'] as const;
const INSERT_EVENT = insertRows(
  'source_events',
  EVENT_COLUMNS,
  sql`ON CONFLICT (id) DO NOTHING RETURNING id`,
  SHARED_EVENT_COLUMNS,
);
/** As INSERT_EVENT, counted instead of returned: SQLite's RETURNING cost a fifth of the insert (200,000 events). */
const INSERT_EVENT_COUNTED = insertRows(
  'source_events',
  EVENT_COLUMNS,
  sql`ON CONFLICT (id) DO NOTHING`,
  SHARED_EVENT_COLUMNS,
);

/**
 * Stores the events the ledger does not hold yet; an id already stored is left
 * as it was (a re-run of the day). Returns, per event, whether it was new: an id
 * given twice is new the first time only.
 */
export async function insertNewEvents(
  store: LedgerTx,
  events: Iterable<SourceEventRow>,
  meta: { runId: string; now: string },
): Promise<boolean[]> {
  const ids: string[] = [];
  function* eachNoted() {
    for (const event of events) {
      ids.push(event.id);
      yield event;
    }
  }
  const rows = eventRows(eachNoted(), (event) => event.detail, meta);
  const inserted = new Set((await store.returningEach<{ id: string }>(INSERT_EVENT, rows)).map((row) => row.id));
  return ids.map((id) => inserted.delete(id));
}

/**
 * Stores events that should all be new (a chunked close's chunk, whose unit fails when one is not) and returns how
 * many were: an id already stored, or given twice, is skipped and not counted. Each row is made from its event as
 * SQLite takes it, its detail as JSON text by `detailOf`.
 */
export function insertEventsCounted<Event extends Omit<SourceEventRow, 'detail'>>(
  store: LedgerTx,
  events: readonly Event[],
  detailOf: (event: Event) => string,
  meta: { runId: string; now: string },
): Promise<number> {
  return store.runEach(INSERT_EVENT_COUNTED, eventRows(events, detailOf, meta));
}

/** Each event as a row of INSERT_EVENT, in one array refilled: runEach and returningEach copy a row's values out before the next. */
function* eventRows<Event extends Omit<SourceEventRow, 'detail'>>(
  events: Iterable<Event>,
  detailOf: (event: Event) => string,
  meta: { runId: string; now: string },
): Generator<unknown[]> {
  const row: unknown[] = [null, null, null, null, null, null, null, null, meta.runId, meta.now];
  for (const event of events) {
    row[0] = event.id;
    row[1] = event.sourceId;
    row[2] = event.kind;
    row[3] = event.date;
    row[4] = event.currency;
    row[5] = event.amountMicros;
    row[6] = event.ref;
    row[7] = detailOf(event);
    yield row;
  }
}

/** The ids of a source's entries dated on any of `dates`: a re-run of a day numbers its entries after them. */
export async function entryIdsOn(store: LedgerStore, sourceId: string, dates: readonly string[]): Promise<Set<string>> {
  if (dates.length === 0) return new Set();
  return new Set(
    (
      await store.all(
        queryBuilder(store)
          .selectFrom('journal_entries')
          .select('id')
          .where('source_id', '=', sourceId)
          .where('date', 'in', dates),
      )
    ).map((row) => row.id),
  );
}

/** Stores the findings not stored yet (their ids are deterministic, so a re-run reports each once). Returns, per finding, whether it was new. */
export async function insertNewFindings(
  store: LedgerTx,
  findings: readonly Finding[],
  now: string,
): Promise<boolean[]> {
  const stored: boolean[] = [];
  for (const found of findings) {
    const inserted = await store.run(
      queryBuilder(store)
        .insertInto('discrepancies')
        .values({
          id: found.id,
          kind: found.kind,
          source_id: found.sourceId,
          date: found.date,
          amount_micros: found.amountMicros ?? null,
          currency: found.currency ?? null,
          ref: found.ref,
          message: found.message,
          created_at: now,
          resolved_at: null,
        })
        .onConflict((conflict) => conflict.column('id').doNothing()),
    );
    stored.push(inserted.changes > 0);
  }
  return stored;
}

/** Whether the ledger holds an event with this id (a payout settled by an earlier run). */
export async function hasEvent(store: LedgerStore, eventId: string): Promise<boolean> {
  return (
    (await store.first(queryBuilder(store).selectFrom('source_events').select('id').where('id', '=', eventId))) !==
    undefined
  );
}

/** A stored event as a journal takes it: its detail stays in the table. */
type UnjournaledEventRow = Omit<SourceEventRow, 'detail'>;

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
