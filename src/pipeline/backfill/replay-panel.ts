import type { PanelSourceConfig } from '../../config/index.js';
import { addDays } from '../../calendar/index.js';
import { createSystemClock } from '../../http/clock.js';
import type { Ledger, LedgerStore } from '../../ledger/index.js';
import type { EventRules, OrderLedgerState, PanelBalanceState, SourceEvent } from '../../rules/index.js';
import type { PanelBatchMode } from '../../sources/panel/panel-batch-mode.js';
import { createPanelClient } from '../../sources/panel/panel-client.js';
import { mergeStatusReports, observationsOf, panelCloseEvents, roundedFigures } from '../sync/panel-close-events.js';
import { addToDays, type FigureReread, type ReplayedCloses, type ReplayWindow } from './replayed-closes.js';
import { closeReplies, forEachBookedOrderAmount, orderQuantities, storedCloses, wasQuarantined, type StoredReply } from '../../store/index.js';
import { storedRepliesHttp } from './stored-replies-http.js';

const PREPAID_ACCOUNT = 'panel_prepaid';

/** What a replay changes for one order on one day: re-derived net charge less what is booked. */
export interface OrderCorrection {
  orderId: string;
  date: string;
  amountMicros: bigint;
}

export interface ReplayedPanel extends ReplayedCloses {
  /**
   * Per order and day, what the window's re-derived events net to less what
   * the books hold for it (its stored events and earlier replays' corrections).
   */
  orderCorrections: OrderCorrection[];
  /** The replay's state of each order it observed in the window, after the window's last close. */
  orderStates: Map<string, OrderLedgerState>;
  /** Orders today's reader rejects in a stored reply that was read on the night (nothing is booked while there are any). */
  unreadable: { date: string; orderId: string; reason: string }[];
}

/**
 * Re-reads every committed panel close up to the window's end from its stored
 * replies. Closes before the window only rebuild each order's state (status,
 * first charge, terminal or not); at the window's start each order's booked
 * net charge and panel_prepaid are set to what the ledger actually booked, so
 * the window's days are re-derived from the books as they stand, not from a
 * history the window does not correct. Example: order 23501 was booked at
 * 1.00 before the window and today's reader says 0.90; it is refunded in the
 * window: the replayed refund is 1.00, the amount the books hold, not 0.90.
 */
export async function replayPanelCloses(
  ledger: Ledger,
  source: PanelSourceConfig,
  options: { window: ReplayWindow; chart: EventRules; onClose?: (date: string) => void },
): Promise<ReplayedPanel> {
  const { store } = ledger;
  const { window } = options;
  const closes = (await storedCloses(store, source.id, window.to)).filter((close) => close.metric === 'balance');
  const quantities = await orderQuantities(store, source.id);
  const states = new Map<string, OrderLedgerState>();
  const netBeforeWindow = new Map<string, bigint>();
  const netInWindow = new Map<string, Map<string, bigint>>();
  const days = new Map<string, SourceEvent[]>();
  let balanceState: PanelBalanceState | undefined;
  let prepaid = 0n;
  let inWindow = false;
  let closesInWindow = 0;
  const rereads: FigureReread[] = [];
  const unreadable: ReplayedPanel['unreadable'] = [];
  const observedInWindow = new Set<string>();

  for (const [index, close] of closes.entries()) {
    if (!inWindow && close.date >= window.from) {
      inWindow = true;
      prepaid = await ledger.balanceOf(PREPAID_ACCOUNT, close.currency, { sourceId: source.id, asOf: addDays(window.from, -1) });
      startFromTheBooks(states, netBeforeWindow, await storedOrderNet(store, source.id, { before: window.from }));
    }
    const replies = await closeReplies(store, source.id, close.runId);
    const client = createPanelClient({
      sourceId: source.id,
      url: source.url,
      apiKey: '',
      http: storedRepliesHttp(source.id, `the close of ${close.date} (run ${close.runId})`, replies),
      clock: createSystemClock(),
      batchMode: firstBatchMode(replies),
    });
    const balance = await client.balance();
    const batches = polledBatches(replies);
    const polled = [...new Set(batches.flat())];
    const [first = [], ...later] = batches;
    const batch = await client.statusBatch(first);
    for (const orderIds of later) mergeStatusReports(batch, await client.statusBatch(orderIds));
    // The currency the close was taken in, not today's configuration.
    const currency = balance.currency ?? close.currency;
    for (const invalid of batch.invalid) {
      if (!await wasQuarantined(store, source.id, close.date, invalid.orderId)) unreadable.push({ date: close.date, orderId: invalid.orderId, reason: invalid.reason });
    }
    const result = panelCloseEvents({
      sourceId: source.id,
      date: close.date,
      currency,
      chart: options.chart,
      isBaselineSync: index === 0,
      observations: observationsOf(polled, batch, currency).observations,
      stateOf: (orderId) => states.get(orderId),
      quantityOf: (orderId) => quantities.get(orderId),
      previousBalance: balanceState,
      prepaidBeforeMicros: prepaid,
      reportedBalanceMicros: balance.balance,
      roundedFigures: roundedFigures(balance, batch),
    });
    for (const [orderId, next] of result.nextStates) states.set(orderId, next);
    balanceState = result.nextBalance;
    prepaid = result.prepaidAfterMicros;
    if (inWindow) {
      addOrderNet(dayNet(netInWindow, close.date), result.events);
      for (const orderId of result.nextStates.keys()) observedInWindow.add(orderId);
      if (balance.balance !== close.valueMicros) rereads.push({ closeId: close.closeId, date: close.date, bookedMicros: close.valueMicros, rereadMicros: balance.balance });
      closesInWindow += 1;
      addToDays(days, close.date, result.events);
    } else {
      addOrderNet(netBeforeWindow, result.events);
    }
    options.onClose?.(close.date);
  }

  const orderCorrections: OrderCorrection[] = [];
  const bookedInWindow = await bookedOrderNetByDay(store, source.id, { from: window.from, before: addDays(window.to, 1) });
  // Only the days the window's closes speak for, as for the journal corrections.
  for (const date of [...days.keys()].sort()) {
    const rederived = netInWindow.get(date) ?? new Map<string, bigint>();
    const booked = bookedInWindow.get(date) ?? new Map<string, bigint>();
    for (const orderId of new Set([...rederived.keys(), ...booked.keys()])) {
      const amountMicros = (rederived.get(orderId) ?? 0n) - (booked.get(orderId) ?? 0n);
      if (amountMicros !== 0n) orderCorrections.push({ orderId, date, amountMicros });
    }
  }
  const orderStates = new Map<string, OrderLedgerState>();
  for (const orderId of observedInWindow) orderStates.set(orderId, states.get(orderId)!);
  return { sourceId: source.id, days, closesInWindow, rereads, orderCorrections, orderStates, unreadable };
}

function dayNet(byDay: Map<string, Map<string, bigint>>, date: string): Map<string, bigint> {
  let net = byDay.get(date);
  if (!net) byDay.set(date, (net = new Map()));
  return net;
}

/** Each order's booked net charge becomes what the ledger booked before the window (re-derived state, booked money). */
function startFromTheBooks(states: Map<string, OrderLedgerState>, rederivedNet: ReadonlyMap<string, bigint>, bookedNet: ReadonlyMap<string, bigint>): void {
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

/** Charges less refunds per order booked before a date: stored events and earlier replays' corrections. */
async function storedOrderNet(store: LedgerStore, sourceId: string, range: { before: string }): Promise<Map<string, bigint>> {
  const net = new Map<string, bigint>();
  await forEachBookedOrderAmount(store, sourceId, { before: range.before }, (_date, orderId, amount) => net.set(orderId, (net.get(orderId) ?? 0n) + amount));
  return net;
}

/** Charges less refunds per day and order, as the books hold them: stored events plus earlier replays' corrections. */
async function bookedOrderNetByDay(store: LedgerStore, sourceId: string, dates: { from?: string; before: string }): Promise<Map<string, Map<string, bigint>>> {
  const byDay = new Map<string, Map<string, bigint>>();
  await forEachBookedOrderAmount(store, sourceId, dates, (date, orderId, amount) => {
    const net = dayNet(byDay, date);
    net.set(orderId, (net.get(orderId) ?? 0n) + amount);
  });
  return byDay;
}

/** The orders the close asked about, in the order it asked (each batch's `orders` or a single `order`, fallback retries counted once). */
/**
 * The order ids a close asked about, as it asked: each batch request its own list (a batch of
 * 100, or the children a subscription named, polled after the rest), and a single
 * `status&order=ID` not already inside a batch its own list, so every request the replay makes
 * is one the close made and has a stored reply.
 */
function polledBatches(replies: readonly StoredReply[]): string[][] {
  const batches: string[][] = [];
  const seen = new Set<string>();
  const inBatch = new Set<string>();
  for (const reply of replies) {
    if (reply.action !== 'multiStatus' && reply.action !== 'status') continue;
    const orders = reply.params['orders'];
    if (orders !== undefined && orders !== '') {
      if (seen.has(orders)) continue;
      seen.add(orders);
      const orderIds = orders.split(',');
      for (const orderId of orderIds) inBatch.add(orderId);
      batches.push(orderIds);
      continue;
    }
    const order = reply.params['order'];
    if (order !== undefined && order !== '' && !inBatch.has(order)) {
      inBatch.add(order);
      batches.push([order]);
    }
  }
  return batches;
}

/** The form the close started with: a close that remembered status&orders never tried multiStatus, one that polled singly never tried either. */
function firstBatchMode(replies: readonly StoredReply[]): PanelBatchMode {
  const first = replies.find((reply) => reply.action === 'multiStatus' || reply.action === 'status');
  if (first === undefined || first.action === 'multiStatus') return 'multiStatus';
  return first.params['orders'] !== undefined ? 'status-orders' : 'single';
}
