import { OrderLedgerStateSchema, toStoredJson, type OrderLedgerState } from '../../../rules/index.js';
import type { KindBooks, StoreHandle, StoreTx } from '../../../store/index.js';
import { addsAcrossBalanceRead } from './add-requests.js';
import {
  forEachBookedOrderAmount,
  readOrderFacts,
  recordOrderCorrections,
  wasQuarantined,
  type OrderCorrectionRecord,
  type OrderFacts,
} from './order-history.js';
import {
  holdsOrders,
  knownOrderIds,
  openOrderHeads,
  orderState,
  ordersNamed,
  registerObservedOrders,
  registerOrders,
  saveOrderStates,
  type OpenOrderHead,
} from './panel-orders.js';

export type { OpenOrderHead, OrderCorrectionRecord, OrderFacts };

/** An order a close names first, as the ledger registers it (first sight wins). */
export interface NewOrder {
  orderId: string;
  service: string | null;
  quantity: bigint | null;
  createdAt: string | null;
  discoveredVia: 'orders-file' | 'webhook' | 'drip-feed' | 'proxy';
}

/** What a close learnt of an order: its state (which says whether it is finished) and the day it was observed. */
export interface ObservedOrderState {
  orderId: string;
  state: OrderLedgerState;
  lastObservedDate: string;
}

/** An order a close found, with the state it left it in (undefined when that close did not observe it). */
export interface FoundOrder {
  order: NewOrder;
  next: ObservedOrderState | undefined;
}

/** An order the ledger holds, as a close reads it before polling: its state (none before a close observed it), quantity and placing. */
export interface HeldOrder {
  orderId: string;
  quantity: bigint | null;
  createdAt: string | null;
  state: OrderLedgerState | undefined;
}

/** An add the panel proxy kept whose round trip may overlap a balance read: `orderId` null while the panel still holds it (or when it placed none). */
export interface AddAcrossBalanceRead {
  receivedAt: string;
  /** Whether what came of it is kept. */
  answered: boolean;
  orderId: string | null;
}

/** An order's state as the ledger holds it, and whether a replayed state would leave it exactly as it is. */
export interface HeldOrderState {
  /** Undefined when no close has observed the order. */
  state: OrderLedgerState | undefined;
  unchangedBy(next: OrderLedgerState): boolean;
}

/** What the panel's close and replay read of its own books: its orders and the proxy's adds. */
export interface PanelBooksReads {
  knownOrderIds(sourceId: string, orderIds: readonly string[]): Promise<Set<string>>;
  /** Whether the ledger knows any order of the source (before its first import it knows none). */
  holdsOrders(sourceId: string): Promise<boolean>;
  ordersNamed(sourceId: string, orderIds: readonly string[]): Promise<HeldOrder[]>;
  openOrderHeads(sourceId: string): AsyncIterable<OpenOrderHead[]>;
  /**
   * The adds received before a balance reply arrived (`arrivedAt`) and within `lookBackMs` before its request
   * was sent (`sentAt`), not answered before it was sent: the orders in flight at that read (ISO UTC instants).
   */
  addsAcrossBalanceRead(
    sourceId: string,
    read: { sentAt: string; arrivedAt: string; lookBackMs: number },
  ): Promise<AddAcrossBalanceRead[]>;
  /** Undefined when the ledger does not hold the order. */
  orderState(sourceId: string, orderId: string): Promise<HeldOrderState | undefined>;
  /** Adds to `into` the facts of the orders named, or of every order of the source when `orderIds` is undefined. */
  readOrderFacts(sourceId: string, orderIds: readonly string[] | undefined, into: OrderFacts): Promise<OrderFacts>;
  forEachBookedOrderAmount(
    sourceId: string,
    dates: { from?: string; before: string },
    add: (date: string, orderId: string, amountMicros: bigint) => void,
  ): Promise<void>;
  wasQuarantined(sourceId: string, date: string, orderId: string): Promise<boolean>;
}

/** The panel's writes, only on a unit's `tx` (the sync's or the backfill's port hands them: `tx.booksOf(panelBooks)`). */
export interface PanelBooksTx extends PanelBooksReads {
  registerOrders(
    sourceId: string,
    orders: Iterable<NewOrder>,
    meta: { firstSeenDate: string; now: Date },
  ): Promise<void>;
  registerFoundOrders(
    sourceId: string,
    orders: Iterable<FoundOrder>,
    meta: { firstSeenDate: string; now: Date },
  ): Promise<void>;
  saveOrderStates(sourceId: string, states: Iterable<ObservedOrderState>, now: Date): Promise<void>;
  /** What a day's correction changed for each order, kept so a later replay counts it as booked. */
  recordOrderCorrections(
    sourceId: string,
    corrections: readonly OrderCorrectionRecord[],
    meta: { entryId: string | undefined; runId: string; now: Date },
  ): Promise<void>;
}

/** The panel's reads over the store's handle, or a unit's `tx`. */
const readsOver = (store: StoreHandle): PanelBooksReads => ({
  knownOrderIds: (sourceId, orderIds) => knownOrderIds(store, sourceId, orderIds),
  holdsOrders: (sourceId) => holdsOrders(store, sourceId),
  ordersNamed: (sourceId, orderIds) => ordersNamed(store, sourceId, orderIds),
  openOrderHeads: (sourceId) => openOrderHeads(store, sourceId),
  addsAcrossBalanceRead: (sourceId, read) => addsAcrossBalanceRead(store, sourceId, read),
  async orderState(sourceId, orderId) {
    const text = await orderState(store, sourceId, orderId);
    if (text === undefined) return undefined;
    // Compared as stored: a state that reads back the same is not written again.
    return {
      state: text === null ? undefined : OrderLedgerStateSchema.parse(JSON.parse(text)),
      unchangedBy: (next: OrderLedgerState) => toStoredJson(next) === text,
    };
  },
  readOrderFacts: (sourceId, orderIds, into) => readOrderFacts(store, sourceId, orderIds, into),
  forEachBookedOrderAmount: (sourceId, dates, add) => forEachBookedOrderAmount(store, sourceId, dates, add),
  wasQuarantined: (sourceId, date, orderId) => wasQuarantined(store, sourceId, date, orderId),
});

/** The panel's reads and writes over a unit's `tx`. */
const writesIn = (tx: StoreTx): PanelBooksTx => ({
  ...readsOver(tx),
  registerOrders: (sourceId, orders, meta) =>
    registerOrders(tx, sourceId, orders, { firstSeenDate: meta.firstSeenDate, now: meta.now.toISOString() }),
  registerFoundOrders: (sourceId, orders, meta) =>
    registerObservedOrders(tx, sourceId, foundRows(orders), {
      firstSeenDate: meta.firstSeenDate,
      now: meta.now.toISOString(),
    }),
  saveOrderStates: (sourceId, states, now) => saveOrderStates(tx, sourceId, stateRows(states), now.toISOString()),
  recordOrderCorrections: (sourceId, corrections, meta) => recordOrderCorrections(tx, sourceId, corrections, meta),
});

/**
 * The panel's own books, written over the store's handle as a kysely dialect is handed `db`: the sync's and the
 * backfill's ports hand them bound to themselves (`books.booksOf(panelBooks)`) or to a unit (`tx.booksOf(panelBooks)`).
 */
export const panelBooks: KindBooks<PanelBooksReads, PanelBooksTx> = { reads: readsOver, writes: writesIn };

/** An order's state as the orders table keeps it: JSON text, with the columns a close's queries select on. */
export function orderStateRow(next: ObservedOrderState) {
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

function* stateRows(states: Iterable<ObservedOrderState>) {
  for (const next of states) yield orderStateRow(next);
}

function* foundRows(orders: Iterable<FoundOrder>) {
  for (const { order, next } of orders) yield { order, next: next === undefined ? undefined : orderStateRow(next) };
}
