import {
  SourceEventSchema,
  toStoredJson,
  type Finding,
  type LandedBankLine,
  type SourceEvent,
} from '../../../rules/index.js';
import { journalBooksOver, type BooksOf, type StoreHandle, type StoreTx } from '../../../store/index.js';
import { Ledger, type BookedFallExplanation, type CloseTaken } from '../../../ledger/index.js';
import {
  closeProgressReads,
  closeProgressTx,
  interruptedCloseEvents,
  landingReadsOver,
  landingTxOver,
  quarantine,
  type CloseBooks,
  type CloseProgressReads,
  type CloseProgressTx,
  type CloseUnit,
  type LandingBooksTx,
} from '../../landing/index.js';
import { recordedRuns } from '../../runs/index.js';
import { bankLinesWithin } from '../../transit/index.js';
import {
  entryIdsOn,
  hasEvent,
  insertEventsCounted,
  insertNewEvents,
  insertNewFindings,
  recordFallExplanations,
} from './close-writes.js';
import { logClose } from './logged-closes.js';

export type { BookedFallExplanation, CloseTaken };

/** Something a close could not read, kept with why for a person to look at. */
export interface QuarantinedItem {
  sourceId: string;
  rawObservationId?: bigint | number | undefined;
  itemRef?: string | undefined;
  reason: string;
  asOf: string;
}

/** What the nightly sync reads of the books: on the port itself and in its unit alike. */
export interface SyncBooksReads extends Pick<LandingBooksTx, 'readableWebhooks'>, CloseProgressReads, BooksOf {
  /** Every landed bank line booked in the window, in book order (an advertiser's close reads its top-ups there). */
  bankLinesWithin(window: { from: string; to: string }): Promise<LandedBankLine[]>;
  /** The events of a close that stopped after booking some orders and before its journal (their detail is not kept). */
  interruptedCloseEvents(
    sourceId: string,
    meta: { fromDate: string | undefined; runId: string },
  ): Promise<SourceEvent[]>;
  hasEvent(eventId: string): Promise<boolean>;
  entryIdsOn(sourceId: string, dates: readonly string[]): Promise<Set<string>>;
  /** The summaries the runs recorded (parsed), by run id; a run not found or without a summary is left out. */
  runSummaries(runIds: readonly string[]): Promise<Map<string, unknown>>;
}

/** The nightly sync's writes, only in a unit of work (`SyncBooks.unit` hands them), with its reads. */
export interface SyncBooksTx
  extends
    Omit<SyncBooksReads, 'of'>,
    Pick<LandingBooksTx, 'landRawReply' | 'markWebhooksProcessed'>,
    CloseProgressTx,
    BooksOf<StoreTx> {
  /** Keeps the events the ledger does not hold yet and returns those (a replayed event id is skipped). */
  recordNewEvents(events: readonly SourceEvent[], meta: { runId: string; now: Date }): Promise<SourceEvent[]>;
  /**
   * Keeps events that should all be new (a chunk of a chunked close, whose unit fails when one is not) and returns
   * how many were kept: a count, so nothing comes back per event (a first import's chunks store 200,000).
   */
  recordChunkEvents(events: readonly SourceEvent[], meta: { runId: string; now: Date }): Promise<number>;
  recordNewFindings(findings: readonly Finding[], now: Date): Promise<Finding[]>;
  recordFallExplanations(
    explanations: readonly BookedFallExplanation[],
    meta: { runId: string; now: Date },
  ): Promise<void>;
  logClose(close: CloseTaken): Promise<void>;
  quarantine(item: QuarantinedItem, now: Date): Promise<void>;
}

/** What the nightly sync needs of the books: its reads, and a unit of work in which its writes commit together or not at all. */
export type SyncBooks = CloseBooks<SyncBooksReads, SyncBooksTx>;

export type SyncBooksUnit = CloseUnit<SyncBooksTx>;

/** The sync's reads over the store or a unit's `tx`; it asks the database nothing until a verb is called. */
const syncReads = (store: StoreHandle): Omit<SyncBooksReads, 'of'> => ({
  ...closeProgressReads(store),
  readableWebhooks: landingReadsOver(store).readableWebhooks,
  bankLinesWithin: (window) => bankLinesWithin(store, window),
  interruptedCloseEvents: async (sourceId, meta) =>
    (await interruptedCloseEvents(store, sourceId, meta)).map((row) => SourceEventSchema.parse({ ...row, detail: {} })),
  hasEvent: (eventId) => hasEvent(store, eventId),
  entryIdsOn: (sourceId, dates) => entryIdsOn(store, sourceId, dates),
  async runSummaries(runIds) {
    const summaries = new Map<string, unknown>();
    for (const [runId, run] of await recordedRuns(store, runIds))
      if (run.summary !== null) summaries.set(runId, JSON.parse(run.summary));
    return summaries;
  },
});

/** A unit's verbs over its `tx`: the reads, the landing's writes and the sync's, and the journal (`ledger`). */
function syncUnit(tx: StoreTx): SyncBooksUnit {
  const landing = landingTxOver(tx);
  return {
    ...syncReads(tx),
    of: (open, ...args) => open(tx, ...args),
    ...closeProgressTx(tx),
    landRawReply: landing.landRawReply,
    markWebhooksProcessed: landing.markWebhooksProcessed,
    async recordNewEvents(events, meta) {
      const stored = await insertNewEvents(tx, storedEvents(events), {
        runId: meta.runId,
        now: meta.now.toISOString(),
      });
      return events.filter((_, index) => stored[index]);
    },
    recordChunkEvents: (events, meta) =>
      insertEventsCounted(tx, events, storedDetail, { runId: meta.runId, now: meta.now.toISOString() }),
    async recordNewFindings(findings, now) {
      const recorded = await insertNewFindings(tx, findings, now.toISOString());
      return findings.filter((_, index) => recorded[index]);
    },
    recordFallExplanations: (explanations, meta) =>
      recordFallExplanations(tx, explanations, { runId: meta.runId, now: meta.now.toISOString() }),
    logClose: (close) => logClose(tx, close),
    quarantine: (item, now) => quarantine(tx, item, now),
    ledger: new Ledger(journalBooksOver(tx)),
  };
}

/**
 * The nightly sync's books over the store's handle (`books.of(syncBooks)`): its reads, and `unit`, which hands its
 * work the reads, the writes and the journal (`ledger`), all bound to the unit's transaction (`tx`): what a close
 * books commits with its events and progress, or none of it does.
 */
export const syncBooks = (store: StoreHandle): SyncBooks => ({
  ...syncReads(store),
  of: (open, ...args) => open(store, ...args),
  unit: (work) => store.unitOfWork((tx) => work(syncUnit(tx))),
});

/** Each event as the store keeps it, made one at a time: a close may book 200,000. */
function* storedEvents(events: readonly SourceEvent[]) {
  for (const event of events) yield { ...event, detail: storedDetail(event) };
}

function storedDetail(event: SourceEvent): string {
  return toStoredJson(event.detail);
}
