import { type EventRules, addToDays, type FigureReread, type SourceEvent } from '../../../rules/index.js';
import type { PanelBalanceState } from './balance-reconciliation.js';
import type { OrderLedgerState } from './order-ledger-state.js';
import type { OrderObservation } from './order-observation.js';
import { panelCloseEvents } from './panel-close-draft.js';

/**
 * The replay of a panel's committed closes, folded one close at a time: the
 * pipeline reads each close's stored replies and hands it to replayPanelClose
 * in date order, then asks panelReplayResult what the window changes. Closes
 * before the window only rebuild each order's state; at the window's start
 * each order's booked net charge and panel_prepaid are set to what the books
 * hold, so the window is re-derived from the books as they stand.
 *
 * Example: order 23501 was charged 1.00 on March 2nd and the window is March
 * 2nd; today's reader re-reads that close's charge as 0.90, so the day
 * re-derives a 0.90 charge against the 1.00 booked: one correction, −0.10.
 */

/** One committed close, re-read from its stored replies with today's reader. */
export interface ReplayedPanelClose {
  closeId: bigint;
  date: string;
  /** The currency the close was taken in (the balance reply's, else the one stored with the close). */
  currency: string;
  /** The balance the books count from for this close (what it recorded, or an earlier replay's re-read). */
  bookedBalanceMicros: bigint;
  /** The balance its stored reply reads today. */
  reportedBalanceMicros: bigint;
  roundedFigures: number;
  /** What the panel said of each polled order, in polling order. */
  observations: readonly OrderObservation[];
  /** The orders in flight at its balance read, as the close kept them (settled by the balance as on the night). */
  ordersInFlight?: readonly string[];
}

export interface PanelReplayInput {
  sourceId: string;
  chart: EventRules;
  /** The window's first day: closes before it only rebuild state. */
  from: string;
  quantityOf: (orderId: string) => bigint | undefined;
  /** The day each order was placed, as the orders table holds it (late orders explain falls the same way as on the night). */
  placedOn: (orderId: string) => string | undefined;
  /** What the books held the day before the window: panel_prepaid, and each order's net charge (stored events and earlier corrections). */
  booksBeforeWindow: { prepaidMicros: bigint; orderNetMicros: ReadonlyMap<string, bigint> };
}

/** The fold's state between closes; replayPanelClose advances it in place. */
interface PanelReplay {
  closesSeen: number;
  inWindow: boolean;
  states: Map<string, OrderLedgerState>;
  balance: PanelBalanceState | undefined;
  prepaidMicros: bigint;
  /** Per order, the net charge the replay derived before the window. */
  netBeforeWindow: Map<string, bigint>;
  /** Per day and order, the net charge the replay derives in the window. */
  netInWindow: Map<string, Map<string, bigint>>;
  days: Map<string, SourceEvent[]>;
  closesInWindow: number;
  rereads: FigureReread[];
  observedInWindow: Set<string>;
}

/** What a replay changes for one order on one day: re-derived net charge less what is booked. */
export interface OrderCorrection {
  orderId: string;
  date: string;
  amountMicros: bigint;
}

export interface PanelReplayResult {
  /** The re-derived events of each day a close in the window speaks for. */
  days: Map<string, SourceEvent[]>;
  closesInWindow: number;
  rereads: FigureReread[];
  /** Per order and day, the window's re-derived net charge less what the books hold for it. */
  orderCorrections: OrderCorrection[];
  /** The state of each order observed in the window, after the window's last close. */
  orderStates: Map<string, OrderLedgerState>;
}

export function startPanelReplay(): PanelReplay {
  return {
    closesSeen: 0,
    inWindow: false,
    states: new Map(),
    balance: undefined,
    prepaidMicros: 0n,
    netBeforeWindow: new Map(),
    netInWindow: new Map(),
    days: new Map(),
    closesInWindow: 0,
    rereads: [],
    observedInWindow: new Set(),
  };
}

/**
 * What a replay starts the window from when the store kept it after the close before the window (the
 * closes before it already counted, the panel's balance state then, panel_prepaid as the books hold it),
 * instead of folding every close since the first; the orders' states come with addKnownOrderStates as
 * the window's closes poll them. Example: a window of March 31st after 89 closes starts at closesSeen 89
 * with the balance state kept on March 30th, and reads no close before the 31st.
 */
export function resumePanelReplay(known: {
  closesSeen: number;
  balance: PanelBalanceState | undefined;
  prepaidMicros: bigint;
}): PanelReplay {
  return {
    ...startPanelReplay(),
    inWindow: true,
    closesSeen: known.closesSeen,
    balance: known.balance,
    prepaidMicros: known.prepaidMicros,
  };
}

/**
 * Orders' states as they stood after the close before the window, for a resumed replay: a state kept
 * by a close already holds the net charge the books hold for the order (the close booked it, and a
 * replay through the latest close wrote back the corrected one), so nothing is carried over to it.
 * An order the replay already holds keeps its state.
 */
export function addKnownOrderStates(replay: PanelReplay, states: Iterable<[string, OrderLedgerState]>): void {
  for (const [orderId, state] of states) if (!replay.states.has(orderId)) replay.states.set(orderId, state);
}

/** The fold enters the window: panel_prepaid and each order's net charge become what the books hold before it. */
export function enterWindow(replay: PanelReplay, input: PanelReplayInput): void {
  replay.inWindow = true;
  replay.prepaidMicros = input.booksBeforeWindow.prepaidMicros;
  startFromTheBooks(replay.states, replay.netBeforeWindow, input.booksBeforeWindow.orderNetMicros);
}

/** Folds one close, in date order, into the replay. The first close ever is the panel's baseline. */
export function replayPanelClose(replay: PanelReplay, input: PanelReplayInput, close: ReplayedPanelClose): void {
  if (!replay.inWindow && close.date >= input.from) enterWindow(replay, input);
  const result = panelCloseEvents({
    sourceId: input.sourceId,
    date: close.date,
    currency: close.currency,
    chart: input.chart,
    isBaselineSync: replay.closesSeen === 0,
    observations: close.observations,
    stateOf: (orderId) => replay.states.get(orderId),
    quantityOf: input.quantityOf,
    placedOn: input.placedOn,
    previousBalance: replay.balance,
    prepaidBeforeMicros: replay.prepaidMicros,
    reportedBalanceMicros: close.reportedBalanceMicros,
    roundedFigures: close.roundedFigures,
    ...(close.ordersInFlight === undefined ? {} : { ordersInFlight: close.ordersInFlight }),
  });
  replay.closesSeen += 1;
  for (const [orderId, next] of result.nextStates) replay.states.set(orderId, next);
  replay.balance = result.nextBalance;
  replay.prepaidMicros = result.prepaidAfterMicros;
  if (!replay.inWindow) {
    addOrderNet(replay.netBeforeWindow, result.events);
    return;
  }
  addOrderNet(dayNet(replay.netInWindow, close.date), result.events);
  for (const orderId of result.nextStates.keys()) replay.observedInWindow.add(orderId);
  if (close.reportedBalanceMicros !== close.bookedBalanceMicros) {
    replay.rereads.push({
      closeId: close.closeId,
      date: close.date,
      bookedMicros: close.bookedBalanceMicros,
      rereadMicros: close.reportedBalanceMicros,
    });
  }
  replay.closesInWindow += 1;
  addToDays(replay.days, close.date, result.events);
}

/**
 * What the window changes, given what the books hold per day and order in it
 * (stored events plus earlier replays' corrections). Only the days the
 * window's closes speak for are compared.
 */
export function panelReplayResult(
  replay: PanelReplay,
  bookedInWindow: ReadonlyMap<string, ReadonlyMap<string, bigint>>,
): PanelReplayResult {
  const orderCorrections: OrderCorrection[] = [];
  for (const date of [...replay.days.keys()].sort()) {
    const rederived = replay.netInWindow.get(date) ?? new Map<string, bigint>();
    const booked = bookedInWindow.get(date) ?? new Map<string, bigint>();
    for (const orderId of new Set([...rederived.keys(), ...booked.keys()])) {
      const amountMicros = (rederived.get(orderId) ?? 0n) - (booked.get(orderId) ?? 0n);
      if (amountMicros !== 0n) orderCorrections.push({ orderId, date, amountMicros });
    }
  }
  const orderStates = new Map<string, OrderLedgerState>();
  for (const orderId of replay.observedInWindow) orderStates.set(orderId, replay.states.get(orderId)!);
  return {
    days: replay.days,
    closesInWindow: replay.closesInWindow,
    rereads: replay.rereads,
    orderCorrections,
    orderStates,
  };
}

function dayNet(byDay: Map<string, Map<string, bigint>>, date: string): Map<string, bigint> {
  let net = byDay.get(date);
  if (!net) byDay.set(date, (net = new Map()));
  return net;
}

/** Each order's booked net charge becomes what the ledger booked before the window (re-derived state, booked money). */
function startFromTheBooks(
  states: Map<string, OrderLedgerState>,
  rederivedNet: ReadonlyMap<string, bigint>,
  bookedNet: ReadonlyMap<string, bigint>,
): void {
  for (const [orderId, state] of states) {
    const carried = (bookedNet.get(orderId) ?? 0n) - (rederivedNet.get(orderId) ?? 0n);
    if (carried !== 0n) states.set(orderId, { ...state, bookedNetMicros: state.bookedNetMicros + carried });
  }
}

/** Charges less refunds per order, from a close's events. */
function addOrderNet(net: Map<string, bigint>, events: readonly SourceEvent[]): void {
  for (const event of events) {
    if (event.kind === 'order_charge') net.set(event.ref, (net.get(event.ref) ?? 0n) + event.amountMicros);
    else if (event.kind === 'order_refund') net.set(event.ref, (net.get(event.ref) ?? 0n) - event.amountMicros);
  }
}
