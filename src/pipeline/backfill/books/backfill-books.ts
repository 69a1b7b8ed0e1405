import type { z } from 'zod';
import type { StoredReply } from '../../../sources/index.js';
import { Ledger, type LoggedClose } from '../../../ledger/index.js';
import type { BookedTaxField, LandedBankLine } from '../../../rules/index.js';
import {
  countEntriesWithIdPrefix,
  dayNetByAccount,
  dayTreatedLines,
  journalBooksOver,
  kindBooksIn,
  kindBooksOn,
  type KindBooksOf,
  type StoreHandle,
  type StoreTx,
} from '../../../store/index.js';
import {
  firstLoggedClose,
  interruptedCloseEvents,
  latestLoggedClose,
  readSourceState,
  writeSourceState,
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
export interface BackfillBooksReads extends KindBooksOf<'reads'> {
  latestClose(sourceId: string): Promise<string | undefined>;
  /** The date of the source's first close, where its books begin; undefined before it has one. */
  firstClose(sourceId: string): Promise<string | undefined>;
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
  /** A staged kind's state after its latest close, as its own schema reads it; undefined before its first. */
  closeState<S extends z.ZodType>(sourceId: string, schema: S): Promise<z.output<S> | undefined>;
}

/** The backfill's writes, only in a unit of work (`BackfillBooks.unit` hands them), with its reads. */
export interface BackfillBooksTx extends Omit<BackfillBooksReads, 'booksOf'>, KindBooksOf<'writes'> {
  recordReread(reread: { closeId: bigint; valueMicros: bigint; runId: string; now: Date }): Promise<void>;
  /** A staged kind's state after its latest close (stagedReplayer), kept for the next one. */
  saveCloseState(sourceId: string, state: unknown, now: Date): Promise<void>;
}

/**
 * What the backfill needs of the books: its reads, and a unit of work in which a source's replay is booked whole
 * or not at all. The writes are only on the `tx` the unit hands (issue 53 item 4).
 */
export interface BackfillBooks extends BackfillBooksReads {
  unit<T>(work: (tx: BackfillBooksUnit) => Promise<T>): Promise<T>;
}

/** A unit of work's verbs: the backfill's and the journal (`ledger`), every one bound to the unit's transaction. */
export interface BackfillBooksUnit extends BackfillBooksTx {
  readonly ledger: Ledger;
}

/** The backfill's reads over the store or a unit's `tx`; it asks the database nothing until a verb is called. */
const backfillReads = (store: StoreHandle): Omit<BackfillBooksReads, 'booksOf'> => ({
  latestClose: (sourceId) => latestLoggedClose(store, sourceId),
  firstClose: (sourceId) => firstLoggedClose(store, sourceId),
  bankLinesWithin: (window) => bankLinesWithin(store, window),
  closeState: (sourceId, schema) => readSourceState(store, sourceId, 'closeState', schema),
  interruptedCloseDates: async (sourceId, meta) =>
    (await interruptedCloseEvents(store, sourceId, meta)).map((row) => row.date),
  closeCount: (sourceId, dates) => closeCount(store, sourceId, dates),
  loggedCloses: (sourceId, to) => storedCloses(store, sourceId, to),
  closeReplies: (sourceId, runId) => closeReplies(store, sourceId, runId),
  dayNetByAccount: (sourceId, date) => dayNetByAccount(store, sourceId, date),
  dayTreatedLines: (sourceId, date) => dayTreatedLines(store, sourceId, date),
  countEntriesWithIdPrefix: (sourceId, date, idPrefix) => countEntriesWithIdPrefix(store, sourceId, date, idPrefix),
});

/** A unit's verbs over its `tx`: the reads, the writes straight in it, and the journal (`ledger`). */
const backfillUnit = (tx: StoreTx): BackfillBooksUnit => ({
  ...backfillReads(tx),
  ...kindBooksIn(tx),
  recordReread: (reread) => recordReread(tx, reread),
  saveCloseState: (sourceId, state, now) => writeSourceState(tx, sourceId, 'closeState', state, now),
  ledger: new Ledger(journalBooksOver(tx)),
});

/**
 * The backfill's books over the store's handle (`books.of(backfillBooks)`): its reads, and `unit`, which hands its
 * work the reads, the writes and the journal (`ledger`) bound to the unit's transaction (`tx`).
 */
export const backfillBooks = (store: StoreHandle): BackfillBooks => ({
  ...backfillReads(store),
  ...kindBooksOn(store),
  unit: (work) => store.unitOfWork((tx) => work(backfillUnit(tx))),
});
