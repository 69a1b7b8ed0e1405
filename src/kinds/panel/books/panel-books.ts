import type { z } from 'zod';
import { toStoredJson } from '../../../rules/index.js';
import type { StoreHandle, StoreTx } from '../../../store/index.js';
import { readSourceState, readSourceStates, writeSourceState } from '../../../pipeline/landing/index.js';
import { PanelBalanceStateSchema, type PanelBalanceState } from '../rules/balance-reconciliation.js';
import { OrderLedgerStateSchema, type OrderLedgerState } from '../rules/order-ledger-state.js';
import type { OrderCorrection } from '../rules/panel-replay.js';
import { orderStatesAsOf, panelBalancesByClose, recordPanelBalanceByClose } from './replay-snapshots.js';
import { addsAcrossBalanceRead } from './add-requests.js';
import {
  forEachBookedOrderAmount,
  readOrderFacts,
  recordOrderCorrections,
  wasQuarantined,
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
  type HeldOrder,
  type NewOrderRow,
  type OpenOrderHead,
} from './panel-orders.js';
import { ordersBySource, ordersOpenSince, type OpenOrderSince, type OrderCounts } from './order-reads.js';

export type { HeldOrder, OrderFacts };

/** An order a close names first, as the ledger registers it (first sight wins). */
export interface NewOrder extends NewOrderRow {
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

/** An add the panel proxy kept whose round trip may overlap a balance read: `orderId` null while the panel still holds it (or when it placed none). */
export interface AddAcrossBalanceRead {
  receivedAt: string;
  /** Whether what came of it is kept. */
  answered: boolean;
  orderId: string | null;
}

/** An order's state as the ledger holds it, and whether a replayed state would leave it exactly as it is. */
interface HeldOrderState {
  /** Undefined when no close has observed the order. */
  state: OrderLedgerState | undefined;
  unchangedBy(next: OrderLedgerState): boolean;
}

/** What a panel carries from one close to the next besides its balance state: the batch form it accepted, the orders a backfill asked about again. */
type PanelCarriedKey = 'batchMode' | 'repollRequested';

/** What the panel's close and replay read of its own books: its carried states, its orders and the proxy's adds. */
export interface PanelBooksReads {
  /** The balance state after the latest close (opening, event sequence, open falls); undefined before the first. */
  balanceState(sourceId: string): Promise<PanelBalanceState | undefined>;
  /** A carried state, read back through `schema`; undefined when none is kept. */
  carriedState<S extends z.ZodType>(
    sourceId: string,
    key: PanelCarriedKey,
    schema: S,
  ): Promise<z.output<S> | undefined>;
  /** Several carried states in one read (the balance state among them), each through its schema; none kept: undefined. */
  carriedStates<Schemas extends Partial<Record<PanelCarriedKey | 'balance', z.ZodType>>>(
    sourceId: string,
    schemas: Schemas,
  ): Promise<{ [Key in keyof Schemas]: z.output<NonNullable<Schemas[Key]>> | undefined }>;
  /** The balance state kept after the close of each of these dates, by date; a date without one is absent. */
  balanceStatesByClose(sourceId: string, dates: readonly string[]): Promise<Map<string, PanelBalanceState>>;
  /** Each order's state as it stood after the close of `asOf` (of the orders named, or of every order); one no close had observed is absent. */
  orderStatesAsOf(sourceId: string, asOf: string, orderIds?: readonly string[]): Promise<Map<string, OrderLedgerState>>;
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
  /** The source's orders still open that the ledger first saw on or before `seenBy`, oldest first (reconcile's stuck orders). */
  ordersOpenSince(sourceId: string, seenBy: string): Promise<OpenOrderSince[]>;
  /** Every source's orders by standing, by source id (status's counts). */
  ordersBySource(): Promise<OrderCounts[]>;
}

/** The panel's writes, only on a unit's `tx` (the sync's or the backfill's unit opens them: `tx.of(panelBooks)`). */
export interface PanelBooksTx extends PanelBooksReads {
  /** Keeps the balance state a close ends with, as the latest and as that close's (a replay starts from it). */
  saveBalanceState(sourceId: string, close: { date: string; balance: PanelBalanceState }, now: Date): Promise<void>;
  saveCarriedState(sourceId: string, key: PanelCarriedKey, value: unknown, now: Date): Promise<void>;
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
    corrections: readonly OrderCorrection[],
    meta: { entryId: string | undefined; runId: string; now: Date },
  ): Promise<void>;
}

/**
 * The panel's own books, written over the store's handle as a kysely dialect is handed `db`: its reads over the
 * handle or a unit's `tx` (`books.of(panelReads)`), and its writes with them only over a unit's (`tx.of(panelBooks)`).
 */
export const panelReads = (store: StoreHandle): PanelBooksReads => ({
  balanceState: (sourceId) => readSourceState(store, sourceId, 'balance', PanelBalanceStateSchema),
  carriedState: <S extends z.ZodType>(sourceId: string, key: PanelCarriedKey, schema: S) =>
    readSourceState(store, sourceId, key, schema),
  carriedStates: (sourceId, schemas) => readSourceStates(store, sourceId, schemas),
  balanceStatesByClose: (sourceId, dates) => panelBalancesByClose(store, sourceId, dates),
  orderStatesAsOf: (sourceId, asOf, orderIds) => orderStatesAsOf(store, sourceId, asOf, orderIds),
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
  ordersOpenSince: (sourceId, seenBy) => ordersOpenSince(store, sourceId, seenBy),
  ordersBySource: () => ordersBySource(store),
});

/** The panel's reads and writes over a unit's `tx`. */
export const panelBooks = (tx: StoreTx): PanelBooksTx => ({
  ...panelReads(tx),
  // One unit: the latest state and that close's are kept together, or neither is.
  async saveBalanceState(sourceId, close, now) {
    await writeSourceState(tx, sourceId, 'balance', close.balance, now);
    await recordPanelBalanceByClose(tx, sourceId, close.date, close.balance);
  },
  saveCarriedState: (sourceId, key, value, now) => writeSourceState(tx, sourceId, key, value, now),
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

/** An order's state as the orders table keeps it: JSON text, with the columns a close's queries select on. */
function orderStateRow(next: ObservedOrderState) {
  return {
    orderId: next.orderId,
    state: toStoredJson(next.state),
    terminal: next.state.terminal,
    unknownSince: next.state.unknownSince ?? null,
    lastObservedDate: next.lastObservedDate,
  };
}

function* stateRows(states: Iterable<ObservedOrderState>) {
  for (const next of states) yield orderStateRow(next);
}

function* foundRows(orders: Iterable<FoundOrder>) {
  for (const { order, next } of orders) yield { order, next: next === undefined ? undefined : orderStateRow(next) };
}
