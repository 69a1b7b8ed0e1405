import { sql } from 'kysely';
import type { BookedFallExplanation } from '../../../ledger/index.js';
import type { Finding, SourceEvent } from '../../../rules/index.js';
import { queryBuilder, type StoreHandle, type StoreTx, statements } from '../../../store/index.js';

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
const INSERT_EVENT = statements.insert(
  'source_events',
  EVENT_COLUMNS,
  sql`ON CONFLICT (id) DO NOTHING RETURNING id`,
  SHARED_EVENT_COLUMNS,
);
/** As INSERT_EVENT, counted instead of returned: SQLite's RETURNING cost a fifth of the insert (200,000 events). */
const INSERT_EVENT_COUNTED = statements.insert(
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
  store: StoreTx,
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
  store: StoreTx,
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
export async function entryIdsOn(store: StoreHandle, sourceId: string, dates: readonly string[]): Promise<Set<string>> {
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
export async function insertNewFindings(store: StoreTx, findings: readonly Finding[], now: string): Promise<boolean[]> {
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
export async function hasEvent(store: StoreHandle, eventId: string): Promise<boolean> {
  return (
    (await store.first(queryBuilder(store).selectFrom('source_events').select('id').where('id', '=', eventId))) !==
    undefined
  );
}

/** Records the explanations of a close whose events were new to the ledger (a re-run stores none twice). */
export async function recordFallExplanations(
  store: StoreTx,
  rows: readonly BookedFallExplanation[],
  meta: { runId: string; now: string },
): Promise<void> {
  for (const row of rows) {
    await store.run(
      queryBuilder(store)
        .insertInto('fall_explanations')
        .values({
          finding_id: row.findingId,
          source_id: row.sourceId,
          order_id: row.orderId,
          amount_micros: row.amountMicros,
          currency: row.currency,
          date: row.date,
          event_id: row.eventId,
          run_id: meta.runId,
          created_at: meta.now,
        })
        .onConflict((conflict) => conflict.column('event_id').doNothing()),
    );
  }
}
