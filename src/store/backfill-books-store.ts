import type { BackfillBooks, BackfillBooksReads, BackfillBooksUnit } from '../pipeline/backfill/backfill-books.js';
import type { z } from 'zod';
import { Ledger } from '../ledger/index.js';
import { interruptedCloseEvents } from './close-writes.js';
import {
  closeCount,
  closeReplies,
  firstLoggedClose,
  latestLoggedClose,
  recordReread,
  storedCloses,
} from './close-log.js';
import { countEntriesWithIdPrefix, dayNetByAccount, dayTreatedLines } from './journal-reads.js';
import { journalBooksOver } from './journal-books-store.js';
import type { LedgerStore, LedgerTx } from './ledger-store.js';
import { readSourceState, writeSourceState } from './source-state.js';
import { kindBooksIn, kindBooksOn } from './kind-books.js';
import { bankLinesWithin } from '../pipeline/transit/books/transit-link-rows.js';

/** The backfill's reads (pipeline/backfill/backfill-books.ts) over the store or a unit's `tx`; it asks the database nothing until a verb is called. */
const backfillReadsOver = (store: LedgerStore) => {
  return {
    latestClose: (sourceId: string) => latestLoggedClose(store, sourceId),
    firstClose: (sourceId: string) => firstLoggedClose(store, sourceId),
    bankLinesWithin: (window: { from: string; to: string }) => bankLinesWithin(store, window),
    interruptedCloseDates: async (sourceId: string, meta: { fromDate: string | undefined; runId: string }) =>
      (await interruptedCloseEvents(store, sourceId, meta)).map((row) => row.date),
    closeCount: (sourceId: string, dates: { from?: string; to: string }) => closeCount(store, sourceId, dates),
    loggedCloses: (sourceId: string, to: string) => storedCloses(store, sourceId, to),
    closeReplies: (sourceId: string, runId: string) => closeReplies(store, sourceId, runId),
    dayNetByAccount: (sourceId: string, date: string) => dayNetByAccount(store, sourceId, date),
    dayTreatedLines: (sourceId: string, date: string) => dayTreatedLines(store, sourceId, date),
    countEntriesWithIdPrefix: (sourceId: string, date: string, idPrefix: string) =>
      countEntriesWithIdPrefix(store, sourceId, date, idPrefix),
    closeState: <S extends z.ZodType>(sourceId: string, schema: S) =>
      readSourceState(store, sourceId, 'closeState', schema),
  } satisfies Omit<BackfillBooksReads, 'booksOf'>;
};

/** A unit's verbs over its `tx`: the reads, the writes straight in it, and the journal (`ledger`). */
const backfillUnitOver = (tx: LedgerTx) =>
  ({
    ...backfillReadsOver(tx),
    ...kindBooksIn(tx),
    recordReread: (reread: { closeId: bigint; valueMicros: bigint; runId: string; now: Date }) =>
      recordReread(tx, reread),
    saveCloseState: (sourceId: string, state: unknown, now: Date) =>
      writeSourceState(tx, sourceId, 'closeState', state, now),
    ledger: new Ledger(journalBooksOver(tx)),
  }) satisfies BackfillBooksUnit;

/** Its reads, and `unit`, which hands its work the reads, the writes and the journal (`ledger`) bound to the unit's transaction (`tx`). */
export const backfillBooksOver = (store: LedgerStore) =>
  ({
    ...backfillReadsOver(store),
    ...kindBooksOn(store),
    unit: <T>(work: (tx: ReturnType<typeof backfillUnitOver>) => Promise<T>) =>
      store.unitOfWork((tx) => work(backfillUnitOver(tx))),
  }) satisfies BackfillBooks;
