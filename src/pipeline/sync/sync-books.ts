import type { z } from 'zod';
import type { Finding, LandedBankLine, SourceEvent } from '../../rules/index.js';
import type { KindBooksOf } from '../../store/index.js';
import type { BookedFallExplanation, CloseTaken, Ledger } from '../../ledger/index.js';
import type { LandingBooksTx } from '../landing/index.js';

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
export interface SyncBooksReads extends Pick<LandingBooksTx, 'readableWebhooks'>, KindBooksOf<'reads'> {
  latestClose(sourceId: string): Promise<string | undefined>;
  /** The date of the source's first close, where its books begin; undefined before it has one. */
  firstClose(sourceId: string): Promise<string | undefined>;
  /** Every landed bank line booked in the window, in book order (an advertiser's close reads its top-ups there). */
  bankLinesWithin(window: { from: string; to: string }): Promise<LandedBankLine[]>;
  /** The events of a close that stopped after booking some orders and before its journal (their detail is not kept). */
  interruptedCloseEvents(
    sourceId: string,
    meta: { fromDate: string | undefined; runId: string },
  ): Promise<SourceEvent[]>;
  hasEvent(eventId: string): Promise<boolean>;
  entryIdsOn(sourceId: string, dates: readonly string[]): Promise<Set<string>>;
  /** A staged kind's state after its latest close (stagedCloser), as its own schema reads it; undefined before its first. */
  closeState<S extends z.ZodType>(sourceId: string, schema: S): Promise<z.output<S> | undefined>;
  /** The summaries the runs recorded (parsed), by run id; a run not found or without a summary is left out. */
  runSummaries(runIds: readonly string[]): Promise<Map<string, unknown>>;
}

/** The nightly sync's writes, only in a unit of work (`SyncBooks.unit` hands them), with its reads. */
export interface SyncBooksTx
  extends
    Omit<SyncBooksReads, 'booksOf'>,
    Pick<LandingBooksTx, 'landRawReply' | 'markWebhooksProcessed'>,
    KindBooksOf<'writes'> {
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
  /** A staged kind's state after its close, kept for the next one. */
  saveCloseState(sourceId: string, state: unknown, now: Date): Promise<void>;
}

/**
 * What the nightly sync needs of the books: its reads, and a unit of work in which its writes commit together or
 * not at all. The writes are only on the `tx` the unit hands (issue 53 item 4).
 */
export interface SyncBooks extends SyncBooksReads {
  unit<T>(work: (tx: SyncBooksUnit) => Promise<T>): Promise<T>;
}

/** A unit of work's verbs: the sync's and the journal (`ledger`), every one bound to the unit's transaction. */
export interface SyncBooksUnit extends SyncBooksTx {
  readonly ledger: Ledger;
}
