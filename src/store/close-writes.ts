import type { LedgerStore } from './ledger-store.js';

/**
 * What a source's close writes besides its orders (panel-orders.ts): its
 * events, by the thousand through one prepared statement (LedgerStore.runEach),
 * and its findings.
 */

export interface SourceEventRow {
  id: string;
  sourceId: string;
  kind: string;
  date: string;
  currency: string;
  amountMicros: bigint;
  ref: string;
  /** JSON text. */
  detail: string;
}

const INSERT_EVENT = `INSERT INTO source_events (id, source_id, kind, date, currency, amount_micros, ref, detail, entry_id, run_id, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?) ON CONFLICT (id) DO NOTHING`;

/**
 * Stores the events the ledger does not hold yet; an id already stored is left
 * as it was (a re-run of the day). Returns, per event, whether it was new.
 */
export function insertNewEvents(store: LedgerStore, events: Iterable<SourceEventRow>, meta: { runId: string; now: string }): boolean[] {
  function* rows() {
    for (const event of events) yield [event.id, event.sourceId, event.kind, event.date, event.currency, event.amountMicros, event.ref, event.detail, meta.runId, meta.now];
  }
  return store.runEach(INSERT_EVENT, rows()).map((changed) => changed === 1);
}

/** The ids of a source's entries dated on any of `dates`: a re-run of a day numbers its entries after them. */
export function entryIdsOn(store: LedgerStore, sourceId: string, dates: readonly string[]): Set<string> {
  if (dates.length === 0) return new Set();
  return new Set(store.all(store.db.selectFrom('journal_entries').select('id').where('source_id', '=', sourceId).where('date', 'in', dates)).map((row) => row.id));
}

export interface FindingRow {
  id: string;
  kind: string;
  sourceId: string;
  date: string;
  amountMicros?: bigint | undefined;
  currency?: string | undefined;
  ref: string;
  message: string;
}

/** Stores the findings not stored yet (their ids are deterministic, so a re-run reports each once). Returns, per finding, whether it was new. */
export function insertNewFindings(store: LedgerStore, findings: readonly FindingRow[], now: string): boolean[] {
  return findings.map(
    (found) =>
      store.run(
        store.db
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
      ).changes > 0,
  );
}

/** Whether the ledger holds an event with this id (a payout settled by an earlier run). */
export function hasEvent(store: LedgerStore, eventId: string): boolean {
  return store.first(store.db.selectFrom('source_events').select('id').where('id', '=', eventId)) !== undefined;
}
