import type { StoredReply } from '../../../sources/index.js';
import { Ledger, type LoggedClose } from '../../../ledger/index.js';
import type { BookedTaxField, LandedBankLine } from '../../../rules/index.js';
import {
  journalBooksOver,
  journalReadsOver,
  type BooksOf,
  type StoreHandle,
  type StoreTx,
} from '../../../store/index.js';
import {
  closeProgressReads,
  closeProgressTx,
  interruptedCloseEvents,
  type CloseBooks,
  type CloseProgressReads,
  type CloseProgressTx,
  type CloseUnit,
} from '../../landing/index.js';
import { bankLinesWithin } from '../../transit/index.js';
import { closeCount, closeReplies, recordReread, storedCloses } from './close-rereads.js';

/** A booked line's account, currency, signed micro-units and tax treatment, as a replay's correction reads it. */
export interface TreatedLine {
  account: string;
  currency: string;
  amountMicros: bigint;
  tax?: BookedTaxField | undefined;
}

export type { LoggedClose };

/** What the backfill reads of the books: on the port itself and in its unit alike. */
export interface BackfillBooksReads extends CloseProgressReads, BooksOf {
  /** Every landed bank line booked in the window, in book order (an advertiser's replay reads its top-ups there). */
  bankLinesWithin(window: { from: string; to: string }): Promise<LandedBankLine[]>;
  /** The dates of the events a close that stopped before its journal left (none: no such close). */
  interruptedCloseDates(sourceId: string, meta: { fromDate: string | undefined; runId: string }): Promise<string[]>;
  closeCount(sourceId: string, dates: { from?: string; to: string }): Promise<number>;
  /** Every committed close of a source up to `to`, by day, each day's in the order they committed. */
  loggedCloses(sourceId: string, to: string): Promise<LoggedClose[]>;
  closeReplies(sourceId: string, runId: string): Promise<StoredReply[]>;
  dayNetByAccount(sourceId: string, date: string): Promise<{ account: string; currency: string; netMicros: bigint }[]>;
  /** The lines of a source's entries dated `date`, each with its tax treatment as booked (none before migration 0039). */
  dayTreatedLines(sourceId: string, date: string): Promise<TreatedLine[]>;
  countEntriesWithIdPrefix(sourceId: string, date: string, idPrefix: string): Promise<number>;
}

/** The backfill's writes, only in a unit of work (`BackfillBooks.unit` hands them), with its reads. */
export interface BackfillBooksTx extends Omit<BackfillBooksReads, 'of'>, CloseProgressTx, BooksOf<StoreTx> {
  recordReread(reread: { closeId: bigint; valueMicros: bigint; runId: string; now: Date }): Promise<void>;
}

/** What the backfill needs of the books: its reads, and a unit of work in which a source's replay is booked whole or not at all. */
export type BackfillBooks = CloseBooks<BackfillBooksReads, BackfillBooksTx>;

export type BackfillBooksUnit = CloseUnit<BackfillBooksTx>;

/** The backfill's reads over the store or a unit's `tx`; it asks the database nothing until a verb is called. */
const backfillReads = (store: StoreHandle): Omit<BackfillBooksReads, 'of'> => ({
  ...closeProgressReads(store),
  bankLinesWithin: (window) => bankLinesWithin(store, window),
  interruptedCloseDates: async (sourceId, meta) =>
    (await interruptedCloseEvents(store, sourceId, meta)).map((row) => row.date),
  closeCount: (sourceId, dates) => closeCount(store, sourceId, dates),
  loggedCloses: (sourceId, to) => storedCloses(store, sourceId, to),
  closeReplies: (sourceId, runId) => closeReplies(store, sourceId, runId),
  dayNetByAccount: journalReadsOver(store).dayNetByAccount,
  dayTreatedLines: journalReadsOver(store).dayTreatedLines,
  countEntriesWithIdPrefix: journalReadsOver(store).countEntriesWithIdPrefix,
});

/** A unit's verbs over its `tx`: the reads, the writes straight in it, and the journal (`ledger`). */
const backfillUnit = (tx: StoreTx): BackfillBooksUnit => ({
  ...backfillReads(tx),
  of: (open, ...args) => open(tx, ...args),
  ...closeProgressTx(tx),
  recordReread: (reread) => recordReread(tx, reread),
  ledger: new Ledger(journalBooksOver(tx)),
});

/**
 * The backfill's books over the store's handle (`books.of(backfillBooks)`): its reads, and `unit`, which hands its
 * work the reads, the writes and the journal (`ledger`) bound to the unit's transaction (`tx`).
 */
export const backfillBooks = (store: StoreHandle): BackfillBooks => ({
  ...backfillReads(store),
  of: (open, ...args) => open(store, ...args),
  unit: (work) => store.unitOfWork((tx) => work(backfillUnit(tx))),
});
