import { assertInvariant, type Finding, type SourceEvent, type JournalEntry } from '../../rules/index.js';
import { PANEL_PREPAID_ACCOUNT } from './rules/panel-accounts.js';
import type { CloseBalanceEvents } from './rules/panel-close-events.js';
import type { OrderObservation } from './rules/order-observation.js';
import { withOrdersInFlight, type PanelBalanceFigures, type PanelCloseDraft } from './rules/panel-close-draft.js';
import { PanelBalanceStateSchema, type PanelBalanceState } from './rules/balance-reconciliation.js';
import type {
  ChunkReads,
  BookedFallExplanation,
  SyncBooksReads,
  SyncBooksTx,
  SyncBooks,
} from '../../pipeline/sync/index.js';
import { type PanelReading, childOrder, freshRow, type FreshOrder } from './panel-close-orders.js';
import {
  panelBooks,
  panelReads,
  type FoundOrder,
  type HeldOrder,
  type ObservedOrderState,
} from './books/panel-books.js';
import type { OrderLedgerState } from './rules/order-ledger-state.js';
import { formatMicros } from '../../money/index.js';
import { z } from 'zod';
import { sortedByOrderId } from './rules/order-events.js';
import { PANEL_BATCH_MODES, type PanelBatchMode } from './panel-batch-mode.js';
import type { OrdersFileOrder } from './orders-file.js';

/** How the balance settled the orders in flight at its read (orders-in-flight.ts). */
type InFlightSettlement = ReturnType<PanelCloseDraft['settleInFlight']>;

/** What the balance step reads of the ledger before it: the balance figures, and the orders in flight as held. */
export interface BalanceHeld {
  figures: PanelBalanceFigures;
  inFlight: HeldOrders;
}

/** What the balance chunk's load writes: the orders in flight it settled, the explanations, and the close's progress. */
export interface BalanceProgress {
  settled: OrderStates;
  explanations: BookedFallExplanation[];
  reading: PanelReading;
  nextBalance: PanelBalanceState;
  /** The orders in flight the balance does not hold: the next close books them. */
  nextClose: readonly string[];
}

export async function heldAtBalance(
  reads: ChunkReads,
  reading: PanelReading,
  inFlight: readonly OrderObservation[],
  sourceId: string,
): Promise<BalanceHeld> {
  const figures = {
    currency: reading.currency,
    previousBalance: await reads.books.of(panelReads).balanceState(sourceId),
    prepaidBeforeMicros: await reads.ledger.balanceOf(PANEL_PREPAID_ACCOUNT, reading.currency, { sourceId }),
    reportedBalanceMicros: reading.balance.balance,
    roundedFigures: reading.rounded,
  };
  return { figures, inFlight: await heldOrders(reads.books, sourceId, inFlight) };
}

/**
 * The balance step (pure), the close's last chunk: the orders in flight at the balance read that the
 * reported balance holds are booked as one more chunk (the others are left for the next close), then
 * whatever the day's journal does not explain in the balance the panel reports is booked. Its journal is
 * the day's, checked to move panel_prepaid by what the draft reconciled before anything is appended.
 */
export function normalizeBalance(
  chunk: { reading: PanelReading; inFlight: readonly OrderObservation[] },
  held: BalanceHeld,
  day: PanelOrdersDay,
) {
  const { reading, inFlight } = chunk;
  const { draft, sourceId, asOf } = day;
  const settlement = inFlight.length === 0 ? undefined : draft.settleInFlight(inFlight, held.figures);
  const inBalance = new Set(settlement?.inBalance ?? []);
  const settled = normalizeOrders(
    inFlight.filter((observation) => inBalance.has(observation.orderId)),
    held.inFlight,
    day,
  );
  const closed = draft.balance(held.figures);
  assertInFlightSettled(settlement, closed, { sourceId, date: asOf });
  draft.journalize(closed.events);
  const events: SourceEvent[] = [...settled.events, ...closed.events];
  const findings: Finding[] = [...settled.findings, ...closed.findings];
  const progress: BalanceProgress = {
    settled: settled.progress,
    explanations: explanationRows(sourceId, asOf, closed),
    reading,
    nextBalance: withOrdersInFlight(closed.nextBalance, inFlight),
    nextClose: settlement?.nextClose ?? [],
  };
  const check = (entries: readonly JournalEntry[]) =>
    assertBookedPrepaid(entries, draft.journal, { sourceId, date: asOf, currency: reading.currency });
  return { events, findings, progress, journal: { sourceId, draft: draft.journal, check } };
}

/** Where the money is decided: orders in flight that the balance settled leave no rise or fall for the balance step to book. */
function assertInFlightSettled(
  settled: InFlightSettlement | undefined,
  closed: CloseBalanceEvents,
  close: { sourceId: string; date: string },
): void {
  if (settled === undefined || !settled.explained) return;
  const moved = closed.findings.filter((found) => found.kind === 'balance_rise' || found.kind === 'balance_fall');
  assertInvariant(
    moved.length === 0,
    () =>
      `panel close ${close.sourceId} ${close.date}: the orders in flight ` +
      `(${[...settled.inBalance, ...settled.nextClose].join(', ')}) were settled by the balance, ` +
      `yet it books ${moved.map((found) => found.kind).join(', ')}; nothing of the close's last unit was committed`,
  );
}

/** The close's explanations, each named by its panel_fall_explained event (they come in the same order). */
function explanationRows(sourceId: string, date: string, closed: CloseBalanceEvents): BookedFallExplanation[] {
  const events = closed.events.filter((event) => event.kind === 'panel_fall_explained');
  return closed.explanations.map((explanation, index) => ({
    sourceId,
    date,
    eventId: events[index]!.id,
    findingId: explanation.findingId,
    orderId: explanation.orderId,
    amountMicros: explanation.amountMicros,
    currency: explanation.currency,
  }));
}

/** A panel's day as its chunks are normalized and loaded: what it books into, drafted as it goes. A value: a stage returns the next. */
export interface PanelOrdersDay {
  readonly sourceId: string;
  readonly asOf: string;
  /** The orders this close named first that the ledger does not hold: a load that registers one returns a day without it. */
  readonly fresh: ReadonlyMap<string, FreshOrder>;
  readonly bookedAt: Date;
  /** The close drafted as it goes: the journal of its events (a first import's 200,000 events are not held) and the late charges. */
  readonly draft: PanelCloseDraft;
}

/** The orders of a chunk as the ledger held them before it (read for the chunk alone). */
export type HeldOrders = ReadonlyMap<string, HeldOrder>;

/** A normalized chunk of orders: what its load writes of their states. */
export interface OrderStates {
  nextStates: ReadonlyMap<string, OrderLedgerState>;
  held: HeldOrders;
}

export async function heldOrders(
  books: SyncBooksReads,
  sourceId: string,
  observations: readonly OrderObservation[],
): Promise<HeldOrders> {
  const orderIds = observations.map((observation) => observation.orderId);
  const named = await books.of(panelReads).ordersNamed(sourceId, orderIds);
  return new Map(named.map((order) => [order.orderId, order]));
}

/**
 * A polled chunk of orders in the ledger's words (pure): their events, findings and next states, from their
 * states as the ledger held them; the events join the day's journal, appended with the balance step. A close
 * that stops before it leaves them to the next close (interruptedCloseEvents), whose orders start from the
 * states loaded with them, so nothing is booked twice.
 */
export function normalizeOrders(
  observations: readonly OrderObservation[],
  held: HeldOrders,
  day: PanelOrdersDay,
): { events: SourceEvent[]; findings: Finding[]; progress: OrderStates } {
  const { fresh, draft } = day;
  const chunk = draft.orders(observations, {
    stateOf: (orderId) => held.get(orderId)?.state,
    quantityOf: (orderId) => held.get(orderId)?.quantity ?? fresh.get(orderId)?.quantity ?? undefined,
    placedOn: (orderId) => (held.get(orderId)?.createdAt ?? fresh.get(orderId)?.createdAt ?? undefined)?.slice(0, 10),
  });
  draft.journalize(chunk.events);
  return { events: chunk.events, findings: chunk.findings, progress: { nextStates: chunk.nextStates, held } };
}

/**
 * A chunk's next order states: the orders the ledger holds are updated, the others registered with theirs.
 * Returns the day without the fresh orders it registered (the ledger holds them now).
 */
export async function loadOrderStates<Day extends PanelOrdersDay>(
  tx: SyncBooksTx,
  chunk: OrderStates,
  day: Day,
): Promise<Day> {
  const found: FoundOrder[] = [];
  const updated: ObservedOrderState[] = [];
  for (const [orderId, next] of chunk.nextStates) {
    const row = { orderId, state: next, lastObservedDate: day.asOf };
    if (chunk.held.has(orderId)) updated.push(row);
    else {
      const fresh = day.fresh.get(orderId);
      // Neither stored nor fresh: a drip-feed or subscription child discovered and polled in this close.
      found.push({ order: fresh ?? childOrder(orderId), next: row });
    }
  }
  await tx.of(panelBooks).registerFoundOrders(day.sourceId, found, { firstSeenDate: day.asOf, now: day.bookedAt });
  await tx.of(panelBooks).saveOrderStates(day.sourceId, updated, day.bookedAt);
  return withoutFresh(
    day,
    found.map((order) => order.order.orderId),
  );
}

/** The day without these fresh orders, once the ledger holds them; the same day when none of them was fresh. */
export function withoutFresh<Day extends PanelOrdersDay>(day: Day, registered: Iterable<string>): Day {
  let fresh: Map<string, FreshOrder> | undefined;
  for (const orderId of registered) {
    if (!day.fresh.has(orderId)) continue;
    fresh ??= new Map(day.fresh);
    fresh.delete(orderId);
  }
  return fresh === undefined ? day : { ...day, fresh };
}

/**
 * A panel close's money check, in its last unit of work before anything is appended: the entries move
 * panel_prepaid by exactly what the close's draft says they do (the figure the balance step reconciled
 * with the balance the panel reports). Otherwise InvariantViolation stops the run and the unit commits nothing.
 */
export function assertBookedPrepaid(
  entries: readonly JournalEntry[],
  draft: { netOf(account: string, currency: string): bigint },
  close: { sourceId: string; date: string; currency: string },
): void {
  let bookedMicros = 0n;
  for (const entry of entries) {
    for (const line of entry.lines)
      if (line.account === PANEL_PREPAID_ACCOUNT && line.currency === close.currency) bookedMicros += line.amountMicros;
  }
  const draftedMicros = draft.netOf(PANEL_PREPAID_ACCOUNT, close.currency);
  assertInvariant(
    bookedMicros === draftedMicros,
    () =>
      `panel close ${close.sourceId} ${close.date}: the entries book ${formatMicros(bookedMicros)} ` +
      `${close.currency} of ${PANEL_PREPAID_ACCOUNT}, the draft ${formatMicros(draftedMicros)}; nothing ` +
      `of the close's last unit was committed`,
  );
}

/*
 * What a panel carries from one close to the next besides its orders: the balance state (opening,
 * event sequence, open falls), the batch form the panel accepted, and the orders a backfill asked
 * about again.
 */

const RepollRequestSchema = z.array(z.string());
// A mode this version does not know is forgotten, not an error: the next sync finds the form again.
const StoredBatchModeSchema = z.enum(PANEL_BATCH_MODES).optional().catch(undefined);

/**
 * What a panel's close starts from, in one read of its carried states: the balance state after its latest
 * close (undefined before the first), the batch form the panel accepted, and the orders a backfill asked about again.
 */
export async function storedPanelDay(
  books: SyncBooksReads,
  sourceId: string,
): Promise<{ balance: PanelBalanceState | undefined; batchMode: PanelBatchMode | undefined; repoll: string[] }> {
  const states = await books.of(panelReads).carriedStates(sourceId, {
    balance: PanelBalanceStateSchema,
    batchMode: StoredBatchModeSchema,
    repollRequested: RepollRequestSchema,
  });
  return { balance: states.balance, batchMode: states.batchMode, repoll: states.repollRequested ?? [] };
}

/**
 * A backfill's request to ask about these orders again. They are polled at the
 * next close, finished or not, so whatever changed is booked on the day it was
 * seen and checked against that day's balance: polling them now and booking on
 * the latest close's date would put today's balance moves into a closed day.
 * Orders the ledger did not know yet are registered.
 */
export async function requestRepoll(
  books: SyncBooks,
  sourceId: string,
  orders: readonly OrdersFileOrder[],
  asOf: string,
  now: Date,
): Promise<void> {
  await books.unit(async (tx) => {
    const panel = tx.of(panelBooks);
    await panel.registerOrders(
      sourceId,
      orders.map((order) => freshRow(order.orderId, order)),
      { firstSeenDate: asOf, now },
    );
    const pending = (await panel.carriedState(sourceId, 'repollRequested', RepollRequestSchema)) ?? [];
    const repoll = sortedByOrderId(new Set([...pending, ...orders.map((order) => order.orderId)]));
    await panel.saveCarriedState(sourceId, 'repollRequested', repoll, now);
  });
}
