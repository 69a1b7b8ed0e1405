import type { SyncBooks } from '../pipeline/sync/sync-books.js';
import type { z } from 'zod';
import {
  SourceEventSchema,
  toStoredJson,
  type Finding,
  type OrderLedgerState,
  type PanelBalanceState,
  type SourceEvent,
} from '../rules/index.js';
import { addsAcrossBalanceRead } from './add-requests.js';
import { entryIdsOn, hasEvent, insertNewEvents, insertNewFindings, interruptedCloseEvents } from './close-writes.js';
import { Ledger, type BookedFallExplanation, type CloseTaken } from '../ledger/index.js';
import { latestLoggedClose, logClose } from './close-log.js';
import { recordFallExplanations } from './fall-explanations.js';
import { quarantine, type QuarantineRecord } from './landing.js';
import { journalBooksOver } from './journal-books-store.js';
import { landingBooksOver } from './landing-books-store.js';
import type { LedgerStore } from './ledger-store.js';
import {
  knownOrderIds,
  openOrderHeads,
  ordersNamed,
  registerObservedOrders,
  registerOrders,
  saveOrderStates,
  type NewOrderRow,
} from './panel-orders.js';
import { recordPanelBalanceByClose } from './replay-snapshots.js';
import { recordedRuns } from './run-history.js';
import {
  readPanelBalanceState,
  readSourceState,
  readSourceStates,
  writePanelBalanceState,
  writeSourceState,
} from './source-state.js';

/** An order's state as the orders table keeps it: JSON text, with the columns a close's queries select on. */
export function orderStateRow(next: { orderId: string; state: OrderLedgerState; lastObservedDate: string }) {
  return {
    orderId: next.orderId,
    state: orderStateJson(next.state),
    terminal: next.state.terminal,
    unknownSince: next.state.unknownSince ?? null,
    lastObservedDate: next.lastObservedDate,
  };
}

/**
 * toStoredJson(state), the same text, written out: a state's two amounts are its only bigints, and a state is
 * written for every polled order each night, where the generic walk made five calls of each. A bigint field
 * added to the state and not here makes JSON.stringify throw, never a text that differs.
 */
export function orderStateJson(state: OrderLedgerState): string {
  return JSON.stringify({
    ...state,
    bookedNetMicros: state.bookedNetMicros.toString(),
    firstChargeMicros: state.firstChargeMicros?.toString(),
  });
}

/** The close's writes of events, findings, fall explanations, its log and quarantine: each a unit of its own, or part of `store`'s when it is a tx. */
const closeWritesOver = (store: LedgerStore) => ({
  async recordNewEvents(events: readonly SourceEvent[], meta: { runId: string; now: Date }): Promise<SourceEvent[]> {
    const stored = await store.unitOfWork((tx) =>
      insertNewEvents(tx, storedEvents(events), {
        runId: meta.runId,
        now: meta.now.toISOString(),
      }),
    );
    return events.filter((_, index) => stored[index]);
  },
  async recordNewFindings(findings: readonly Finding[], now: Date): Promise<Finding[]> {
    const recorded = await store.unitOfWork((tx) => insertNewFindings(tx, findings, now.toISOString()));
    return findings.filter((_, index) => recorded[index]);
  },
  recordFallExplanations: (explanations: readonly BookedFallExplanation[], meta: { runId: string; now: Date }) =>
    store.unitOfWork((tx) =>
      recordFallExplanations(tx, explanations, { runId: meta.runId, now: meta.now.toISOString() }),
    ),
  logClose: (close: CloseTaken) => store.unitOfWork((tx) => logClose(tx, close)),
  quarantine: (item: QuarantineRecord, now: Date) => store.unitOfWork((tx) => quarantine(tx, item, now)),
});

/** What a source carries from one close to the next (source_state): read alone or several at once, and kept. */
const carriedStatesOver = (store: LedgerStore) => ({
  panelBalance: (sourceId: string) => readPanelBalanceState(store, sourceId),
  async savePanelBalance(
    sourceId: string,
    close: { date: string; balance: PanelBalanceState },
    now: Date,
  ): Promise<void> {
    // One unit: the latest state and that close's are kept together, or neither is.
    await store.unitOfWork(async (tx) => {
      await writePanelBalanceState(tx, sourceId, close.balance, now);
      await recordPanelBalanceByClose(tx, sourceId, close.date, close.balance);
    });
  },
  carriedState: <S extends z.ZodType>(
    sourceId: string,
    key: 'batchMode' | 'repollRequested' | 'closeState',
    schema: S,
  ) => readSourceState(store, sourceId, key, schema),
  carriedStates: <
    Schemas extends Partial<Record<'balance' | 'batchMode' | 'repollRequested' | 'closeState', z.ZodType>>,
  >(
    sourceId: string,
    schemas: Schemas,
  ) => readSourceStates(store, sourceId, schemas),
  saveCarriedState: (
    sourceId: string,
    key: 'batchMode' | 'repollRequested' | 'closeState',
    value: unknown,
    now: Date,
  ) => store.unitOfWork((tx) => writeSourceState(tx, sourceId, key, value, now)),
});

/** The nightly sync's port (pipeline/sync/sync-books.ts) over the store's repositories; it asks the database nothing until a verb is called. */
const syncVerbsOver = (store: LedgerStore) => {
  const landing = landingBooksOver(store);
  return {
    landRawReply: landing.landRawReply,
    readableWebhooks: landing.readableWebhooks,
    markWebhooksProcessed: landing.markWebhooksProcessed,
    latestClose: (sourceId: string) => latestLoggedClose(store, sourceId),
    interruptedCloseEvents: async (
      sourceId: string,
      meta: { fromDate: string | undefined; runId: string },
    ): Promise<SourceEvent[]> =>
      (await interruptedCloseEvents(store, sourceId, meta)).map((row) =>
        SourceEventSchema.parse({ ...row, detail: {} }),
      ),
    hasEvent: (eventId: string) => hasEvent(store, eventId),
    ...closeWritesOver(store),
    entryIdsOn: (sourceId: string, dates: readonly string[]) => entryIdsOn(store, sourceId, dates),
    ...carriedStatesOver(store),
    knownOrderIds: (sourceId: string, orderIds: readonly string[]) => knownOrderIds(store, sourceId, orderIds),
    ordersNamed: (sourceId: string, orderIds: readonly string[]) => ordersNamed(store, sourceId, orderIds),
    openOrderHeads: (sourceId: string) => openOrderHeads(store, sourceId),
    registerOrders: (sourceId: string, orders: Iterable<NewOrderRow>, meta: { firstSeenDate: string; now: Date }) =>
      store.unitOfWork((tx) =>
        registerOrders(tx, sourceId, orders, { firstSeenDate: meta.firstSeenDate, now: meta.now.toISOString() }),
      ),
    registerFoundOrders: (
      sourceId: string,
      orders: Iterable<{
        order: NewOrderRow;
        next: { orderId: string; state: OrderLedgerState; lastObservedDate: string } | undefined;
      }>,
      meta: { firstSeenDate: string; now: Date },
    ) =>
      store.unitOfWork((tx) =>
        registerObservedOrders(tx, sourceId, foundRows(orders), {
          firstSeenDate: meta.firstSeenDate,
          now: meta.now.toISOString(),
        }),
      ),
    saveOrderStates: (
      sourceId: string,
      states: Iterable<{ orderId: string; state: OrderLedgerState; lastObservedDate: string }>,
      now: Date,
    ) => store.unitOfWork((tx) => saveOrderStates(tx, sourceId, stateRows(states), now.toISOString())),
    addsAcrossBalanceRead: (sourceId: string, read: { sentAt: string; arrivedAt: string; lookBackMs: number }) =>
      addsAcrossBalanceRead(store, sourceId, read),
    async runSummaries(runIds: readonly string[]): Promise<Map<string, unknown>> {
      const summaries = new Map<string, unknown>();
      for (const [runId, run] of await recordedRuns(store, runIds))
        if (run.summary !== null) summaries.set(runId, JSON.parse(run.summary));
      return summaries;
    },
  };
};

/**
 * Its verbs, and `unit`, which hands its work the same verbs and the journal (`ledger`), all bound to the unit's
 * transaction (`tx`): what a close books commits with its events and progress, or none of it does.
 */
export const syncBooksOver = (store: LedgerStore) =>
  ({
    ...syncVerbsOver(store),
    unit: <T>(work: (tx: ReturnType<typeof syncVerbsOver> & { ledger: Ledger }) => Promise<T>) =>
      store.unitOfWork((tx) => work({ ...syncVerbsOver(tx), ledger: new Ledger(journalBooksOver(tx)) })),
  }) satisfies SyncBooks;

/** Each event as the store keeps it, made one at a time: a close may book 200,000. */
function* storedEvents(events: readonly SourceEvent[]) {
  for (const event of events) yield { ...event, detail: toStoredJson(event.detail) };
}

function* stateRows(states: Iterable<{ orderId: string; state: OrderLedgerState; lastObservedDate: string }>) {
  for (const next of states) yield orderStateRow(next);
}

function* foundRows(
  orders: Iterable<{
    order: NewOrderRow;
    next: { orderId: string; state: OrderLedgerState; lastObservedDate: string } | undefined;
  }>,
) {
  for (const { order, next } of orders) yield { order, next: next === undefined ? undefined : orderStateRow(next) };
}
