import { sql } from 'kysely';
import { UsageError } from '../../errors.js';
import type { JournalEntry, Ledger } from '../../ledger/index.js';
import { insertNewEvents } from '../../store/index.js';
import { journalize, toStoredJson, type EventRules, type Finding, type Granularity, type SourceEvent } from '../../rules/index.js';

/** What a booking needs from the run around it (a CloseContext has all of it). */
export interface BookingRun {
  ledger: Ledger;
  chart: EventRules;
  granularity: Granularity;
  runId: string;
  now: () => Date;
}

export interface CloseBooking {
  sourceId: string;
  events: readonly SourceEvent[];
  findings: readonly Finding[];
  /** The source's own progress (order states, counters, closes), written in the same transaction. */
  writeProgress: () => void;
}

export interface BookedClose {
  /** Events new to the ledger (a replayed event id is skipped). */
  events: SourceEvent[];
  entries: JournalEntry[];
  findings: Finding[];
}

/**
 * Commits one source's close as a single unit of work: its new events, the
 * journal entries they make, its findings and its progress. A crash before
 * the commit leaves the ledger as it was; a crash after leaves it complete;
 * either way the next run converges on the same books.
 */
export function bookClose(run: BookingRun, booking: CloseBooking): BookedClose {
  const { ledger } = run;
  const now = run.now();
  const { store } = ledger;
  const { db } = store;
  return store.transaction(() => {
    const stored = insertNewEvents(store, storedEvents(booking.events), { runId: run.runId, now: now.toISOString() });
    const events = booking.events.filter((_, index) => stored[index]);
    const dates = [...new Set(events.map((event) => event.date))];
    const existingEntryIds = new Set(
      dates.length === 0
        ? []
        : store
            .all(db.selectFrom('journal_entries').select('id').where('source_id', '=', booking.sourceId).where('date', 'in', dates))
            .map((row) => row.id),
    );
    const entries = journalize(events, run.chart, { granularity: run.granularity, existingEntryIds });
    for (const entry of entries) ledger.appendEntry(entry, { runId: run.runId, now });
    const findings: Finding[] = [];
    for (const found of booking.findings) {
      const inserted = store.run(
        db
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
            created_at: now.toISOString(),
            resolved_at: null,
          })
          .onConflict((conflict) => conflict.column('id').doNothing()),
      );
      if (inserted.changes > 0) findings.push(found);
    }
    booking.writeProgress();
    return { events, entries, findings };
  });
}

/** Each event as the store keeps it, made one at a time: a close may book 200,000. */
function* storedEvents(events: readonly SourceEvent[]) {
  for (const event of events) yield { ...event, detail: toStoredJson(event.detail) };
}

/**
 * Records the close actually taken: `source_closes` keeps the day's latest
 * snapshot (what the next close compares with), `close_log` every committed
 * close with its run, so a replay can find each one's raw replies.
 */
export function recordClose(
  ledger: Ledger,
  close: { sourceId: string; date: string; runId: string; metric: string; valueMicros: bigint; currency: string; rawObservationId: bigint | number | undefined; now: Date },
): void {
  const { store } = ledger;
  const values = {
    source_id: close.sourceId,
    date: close.date,
    metric: close.metric,
    value_micros: close.valueMicros,
    currency: close.currency,
    raw_observation_id: close.rawObservationId === undefined ? null : BigInt(close.rawObservationId),
    taken_at: close.now.toISOString(),
  };
  store.run(
    store.db
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
  store.run(store.db.insertInto('close_log').values({ ...values, run_id: close.runId }));
}

/** The date of a source's latest close, if it has one: a live sync cannot observe a day before it. */
export function latestCloseDate(ledger: Ledger, sourceId: string): string | undefined {
  const row = ledger.store.first(
    ledger.store.db.selectFrom('source_closes').select(sql<string | null>`MAX(date)`.as('date')).where('source_id', '=', sourceId),
  );
  return row?.date ?? undefined;
}

/** The APIs have no history: a live sync cannot observe a day before a source's latest close (DESIGN §4). */
export function refuseDayBeforeLatestClose(ledger: Ledger, sourceId: string, asOf: string): void {
  const latest = latestCloseDate(ledger, sourceId);
  if (latest !== undefined && asOf < latest) {
    throw new UsageError(
      `${sourceId}: cannot take a close as of ${asOf}: its latest close is ${latest} and the API has no history. ` +
        `To re-book stored observations of earlier days use --from DATE --to DATE`,
    );
  }
}
