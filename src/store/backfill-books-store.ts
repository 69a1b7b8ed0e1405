import type { BackfillBooks, BackfillBooksReads, BackfillBooksUnit } from '../pipeline/backfill/backfill-books.js';
import type { z } from 'zod';
import { Ledger } from '../ledger/index.js';
import { OrderLedgerStateSchema, toStoredJson, type OrderLedgerState } from '../rules/index.js';
import { interruptedCloseEvents } from './close-writes.js';
import { closeCount, closeReplies, latestLoggedClose, recordReread, storedCloses } from './close-log.js';
import { countEntriesWithIdPrefix, dayNetByAccount } from './journal-reads.js';
import { journalBooksOver } from './journal-books-store.js';
import type { LedgerStore, LedgerTx } from './ledger-store.js';
import {
  forEachBookedOrderAmount,
  readOrderFacts,
  recordOrderCorrections,
  wasQuarantined,
  type OrderCorrectionRecord,
  type OrderFacts,
} from '../kinds/panel/books/order-history.js';
import { orderState, saveOrderStates } from '../kinds/panel/books/panel-orders.js';
import { orderStatesAsOf, panelBalancesByClose } from './replay-snapshots.js';
import { readSourceState, writeSourceState } from './source-state.js';
import { orderStateRow } from './sync-books-store.js';

/** The backfill's reads (pipeline/backfill/backfill-books.ts) over the store or a unit's `tx`; it asks the database nothing until a verb is called. */
const backfillReadsOver = (store: LedgerStore) => {
  return {
    latestClose: (sourceId: string) => latestLoggedClose(store, sourceId),
    interruptedCloseDates: async (sourceId: string, meta: { fromDate: string | undefined; runId: string }) =>
      (await interruptedCloseEvents(store, sourceId, meta)).map((row) => row.date),
    closeCount: (sourceId: string, dates: { from?: string; to: string }) => closeCount(store, sourceId, dates),
    loggedCloses: (sourceId: string, to: string) => storedCloses(store, sourceId, to),
    closeReplies: (sourceId: string, runId: string) => closeReplies(store, sourceId, runId),
    panelBalancesByClose: (sourceId: string, dates: readonly string[]) => panelBalancesByClose(store, sourceId, dates),
    orderStatesAsOf: (sourceId: string, asOf: string, orderIds?: readonly string[]) =>
      orderStatesAsOf(store, sourceId, asOf, orderIds),
    readOrderFacts: (sourceId: string, orderIds: readonly string[] | undefined, into: OrderFacts) =>
      readOrderFacts(store, sourceId, orderIds, into),
    forEachBookedOrderAmount: (
      sourceId: string,
      dates: { from?: string; before: string },
      add: (date: string, orderId: string, amountMicros: bigint) => void,
    ) => forEachBookedOrderAmount(store, sourceId, dates, add),
    wasQuarantined: (sourceId: string, date: string, orderId: string) => wasQuarantined(store, sourceId, date, orderId),
    dayNetByAccount: (sourceId: string, date: string) => dayNetByAccount(store, sourceId, date),
    countEntriesWithIdPrefix: (sourceId: string, date: string, idPrefix: string) =>
      countEntriesWithIdPrefix(store, sourceId, date, idPrefix),
    async orderState(sourceId: string, orderId: string) {
      const text = await orderState(store, sourceId, orderId);
      if (text === undefined) return undefined;
      // Compared as stored: a state that reads back the same is not written again.
      return {
        state: text === null ? undefined : OrderLedgerStateSchema.parse(JSON.parse(text)),
        unchangedBy: (next: OrderLedgerState) => toStoredJson(next) === text,
      };
    },
    closeState: <S extends z.ZodType>(sourceId: string, schema: S) =>
      readSourceState(store, sourceId, 'closeState', schema),
  } satisfies BackfillBooksReads;
};

/** A unit's verbs over its `tx`: the reads, the writes straight in it, and the journal (`ledger`). */
const backfillUnitOver = (tx: LedgerTx) =>
  ({
    ...backfillReadsOver(tx),
    recordOrderCorrections: (
      sourceId: string,
      corrections: readonly OrderCorrectionRecord[],
      meta: { entryId: string | undefined; runId: string; now: Date },
    ) => recordOrderCorrections(tx, sourceId, corrections, meta),
    recordReread: (reread: { closeId: bigint; valueMicros: bigint; runId: string; now: Date }) =>
      recordReread(tx, reread),
    saveOrderState: (
      sourceId: string,
      next: { orderId: string; state: OrderLedgerState; lastObservedDate: string },
      now: Date,
    ) => saveOrderStates(tx, sourceId, [orderStateRow(next)], now.toISOString()),
    saveCloseState: (sourceId: string, state: unknown, now: Date) =>
      writeSourceState(tx, sourceId, 'closeState', state, now),
    ledger: new Ledger(journalBooksOver(tx)),
  }) satisfies BackfillBooksUnit;

/** Its reads, and `unit`, which hands its work the reads, the writes and the journal (`ledger`) bound to the unit's transaction (`tx`). */
export const backfillBooksOver = (store: LedgerStore) =>
  ({
    ...backfillReadsOver(store),
    unit: <T>(work: (tx: ReturnType<typeof backfillUnitOver>) => Promise<T>) =>
      store.unitOfWork((tx) => work(backfillUnitOver(tx))),
  }) satisfies BackfillBooks;
