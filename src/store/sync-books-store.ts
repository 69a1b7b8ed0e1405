import type { SyncBooks, SyncBooksReads, SyncBooksUnit } from '../pipeline/sync/sync-books.js';
import type { z } from 'zod';
import { SourceEventSchema, toStoredJson, type Finding, type SourceEvent } from '../rules/index.js';
import {
  entryIdsOn,
  hasEvent,
  insertEventsCounted,
  insertNewEvents,
  insertNewFindings,
  interruptedCloseEvents,
} from './close-writes.js';
import { Ledger, type BookedFallExplanation, type CloseTaken } from '../ledger/index.js';
import { firstLoggedClose, latestLoggedClose, logClose } from './close-log.js';
import { recordFallExplanations } from './fall-explanations.js';
import { quarantine, type QuarantineRecord } from './landing.js';
import { journalBooksOver } from './journal-books-store.js';
import { landingReadsOver, landingTxOver } from './landing-books-store.js';
import type { LedgerStore, LedgerTx } from './ledger-store.js';
import { kindBooksIn, kindBooksOn } from './kind-books.js';
import { recordedRuns } from './run-history.js';
import { bankLinesWithin } from '../pipeline/transit/books/transit-link-rows.js';
import { readSourceState, writeSourceState } from './source-state.js';

/** The sync's writes, straight in a unit's `tx`: only a unit hands them. */
const syncWritesIn = (tx: LedgerTx) => ({
  async recordNewEvents(events: readonly SourceEvent[], meta: { runId: string; now: Date }) {
    const stored = await insertNewEvents(tx, storedEvents(events), { runId: meta.runId, now: meta.now.toISOString() });
    return events.filter((_, index) => stored[index]);
  },
  recordChunkEvents: (events: readonly SourceEvent[], meta: { runId: string; now: Date }) =>
    insertEventsCounted(tx, events, storedDetail, { runId: meta.runId, now: meta.now.toISOString() }),
  async recordNewFindings(findings: readonly Finding[], now: Date) {
    const recorded = await insertNewFindings(tx, findings, now.toISOString());
    return findings.filter((_, index) => recorded[index]);
  },
  recordFallExplanations: (explanations: readonly BookedFallExplanation[], meta: { runId: string; now: Date }) =>
    recordFallExplanations(tx, explanations, { runId: meta.runId, now: meta.now.toISOString() }),
  logClose: (close: CloseTaken) => logClose(tx, close),
  quarantine: (item: QuarantineRecord, now: Date) => quarantine(tx, item, now),
  saveCloseState: (sourceId: string, state: unknown, now: Date) =>
    writeSourceState(tx, sourceId, 'closeState', state, now),
});

/** The nightly sync's reads (pipeline/sync/sync-books.ts) over the store or a unit's `tx`; it asks the database nothing until a verb is called. */
const syncReadsOver = (store: LedgerStore) => {
  return {
    readableWebhooks: landingReadsOver(store).readableWebhooks,
    latestClose: (sourceId: string) => latestLoggedClose(store, sourceId),
    firstClose: (sourceId: string) => firstLoggedClose(store, sourceId),
    bankLinesWithin: (window: { from: string; to: string }) => bankLinesWithin(store, window),
    interruptedCloseEvents: async (
      sourceId: string,
      meta: { fromDate: string | undefined; runId: string },
    ): Promise<SourceEvent[]> =>
      (await interruptedCloseEvents(store, sourceId, meta)).map((row) =>
        SourceEventSchema.parse({ ...row, detail: {} }),
      ),
    hasEvent: (eventId: string) => hasEvent(store, eventId),
    entryIdsOn: (sourceId: string, dates: readonly string[]) => entryIdsOn(store, sourceId, dates),
    closeState: <S extends z.ZodType>(sourceId: string, schema: S) =>
      readSourceState(store, sourceId, 'closeState', schema),
    async runSummaries(runIds: readonly string[]): Promise<Map<string, unknown>> {
      const summaries = new Map<string, unknown>();
      for (const [runId, run] of await recordedRuns(store, runIds))
        if (run.summary !== null) summaries.set(runId, JSON.parse(run.summary));
      return summaries;
    },
  } satisfies Omit<SyncBooksReads, 'booksOf'>;
};

/** A unit's verbs over its `tx`: the reads, the landing's writes and the sync's, and the journal (`ledger`). */
function syncUnitOver(tx: LedgerTx) {
  const landing = landingTxOver(tx);
  return {
    ...syncReadsOver(tx),
    ...kindBooksIn(tx),
    landRawReply: landing.landRawReply,
    markWebhooksProcessed: landing.markWebhooksProcessed,
    ...syncWritesIn(tx),
    ledger: new Ledger(journalBooksOver(tx)),
  } satisfies SyncBooksUnit;
}

/**
 * Its reads, and `unit`, which hands its work the reads, the writes and the journal (`ledger`), all bound to the
 * unit's transaction (`tx`): what a close books commits with its events and progress, or none of it does.
 */
export const syncBooksOver = (store: LedgerStore) =>
  ({
    ...syncReadsOver(store),
    ...kindBooksOn(store),
    unit: <T>(work: (tx: ReturnType<typeof syncUnitOver>) => Promise<T>) =>
      store.unitOfWork((tx) => work(syncUnitOver(tx))),
  }) satisfies SyncBooks;

/** Each event as the store keeps it, made one at a time: a close may book 200,000. */
function* storedEvents(events: readonly SourceEvent[]) {
  for (const event of events) yield { ...event, detail: storedDetail(event) };
}

function storedDetail(event: SourceEvent): string {
  return toStoredJson(event.detail);
}
