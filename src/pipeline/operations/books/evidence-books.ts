import { sql } from 'kysely';
import type { EvidenceRecord } from '../../../ledger/index.js';
import { queryBuilder, type StoreHandle } from '../../../store/index.js';

/**
 * What an entry's evidence reads of the books (issue 42, item 4): the entry as booked, its events, the replies
 * its source landed for its days and the source's close figures; the cents come from the journal itself.
 */
export interface EvidenceBooks {
  /** Undefined when no entry has that id. */
  evidenceOf(entryId: string): Promise<Omit<EvidenceRecord, 'renderedLines'> | undefined>;
}

/** The evidence books over the store's handle (`books.of(evidenceBooks)`). */
export const evidenceBooks = (store: StoreHandle): EvidenceBooks => ({
  evidenceOf: (entryId) => evidenceOf(store, entryId),
});

/**
 * What the books hold of an entry's making, each list in a fixed order (lines by number, events by id, replies by
 * landing, closes by metric): the entry's events through their links (migration 0017), the replies its source
 * landed for the entry's date and its events' dates up to the last one the entry's run landed (so a later run of
 * the same day changes nothing here), and the source's close figures for the entry's date.
 */
async function evidenceOf(
  store: StoreHandle,
  entryId: string,
): Promise<Omit<EvidenceRecord, 'renderedLines'> | undefined> {
  const db = queryBuilder(store);
  const entry = await store.first(db.selectFrom('journal_entries').selectAll().where('id', '=', entryId));
  if (entry === undefined) return undefined;
  const lines = await store.all(
    db
      .selectFrom('journal_lines')
      .select(['account', 'currency', 'amount_micros', 'description'])
      .where('entry_id', '=', entryId)
      .orderBy('line_no'),
  );
  const events = await linkedEvents(store, entryId);
  const days = [...new Set([entry.date, ...events.map((event) => event.date)])];
  return {
    entry: {
      id: entry.id,
      date: entry.date,
      sourceId: entry.source_id,
      description: entry.description,
      eventIds: JSON.parse(entry.event_ids) as string[],
      contentHash: entry.content_hash,
      chainHash: entry.chain_hash,
      lines: lines.map((line) => ({
        account: line.account,
        currency: line.currency,
        amountMicros: BigInt(line.amount_micros),
        description: line.description,
      })),
    },
    events,
    replies: await repliesBehind(store, { sourceId: entry.source_id, runId: entry.run_id, days }),
    closes: await closeFigures(store, entry.source_id, entry.date),
  };
}

/** The events the entry journalized, through their links (entry_events), by id. */
async function linkedEvents(store: StoreHandle, entryId: string): Promise<EvidenceRecord['events']> {
  const db = queryBuilder(store);
  const events = await store.all(
    db
      .selectFrom('source_events')
      .selectAll()
      .where('id', 'in', db.selectFrom('entry_events').select('event_id').where('entry_id', '=', entryId))
      .orderBy('id'),
  );
  return events.map((event) => ({
    id: event.id,
    kind: event.kind,
    date: event.date,
    currency: event.currency,
    amountMicros: BigInt(event.amount_micros),
    ref: event.ref,
    detail: event.detail,
  }));
}

/**
 * The replies the source landed for these days, in landing order, up to the last one the entry's run landed:
 * replies landed after it (a later run of the same day) did not produce the entry.
 */
async function repliesBehind(
  store: StoreHandle,
  of: { sourceId: string; runId: string | null; days: readonly string[] },
): Promise<EvidenceRecord['replies']> {
  const db = queryBuilder(store);
  let repliesQuery = db
    .selectFrom('raw_observations')
    .selectAll()
    .where('source_id', '=', of.sourceId)
    .where('as_of', 'in', of.days);
  const last =
    of.runId === null
      ? undefined
      : await store.first(
          db
            .selectFrom('raw_observations')
            .select(sql<bigint | null>`MAX(id)`.as('last'))
            .where('run_id', '=', of.runId),
        );
  if (last?.last !== undefined && last.last !== null) repliesQuery = repliesQuery.where('id', '<=', last.last);
  const replies = await store.all(repliesQuery.orderBy('id'));
  return replies.map((reply) => ({
    id: String(reply.id),
    action: reply.action,
    request: reply.request,
    asOf: reply.as_of,
    fetchedAt: reply.fetched_at,
    httpStatus: Number(reply.http_status),
    contentHash: reply.content_hash,
    body: reply.body,
  }));
}

/** The source's close figures for the date, by metric, each with the reply it was read from. */
async function closeFigures(store: StoreHandle, sourceId: string, date: string): Promise<EvidenceRecord['closes']> {
  const closes = await store.all(
    queryBuilder(store)
      .selectFrom('source_closes')
      .selectAll()
      .where('source_id', '=', sourceId)
      .where('date', '=', date)
      .orderBy('metric'),
  );
  return closes.map((close) => ({
    metric: close.metric,
    valueMicros: BigInt(close.value_micros),
    currency: close.currency,
    replyId: close.raw_observation_id === null ? null : String(close.raw_observation_id),
  }));
}
