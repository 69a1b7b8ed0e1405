import type { PanelSourceConfig } from '../../config/index.js';
import { addDays } from '../../calendar/index.js';
import { createSystemClock } from '../../http/clock.js';
import type { Ledger, LedgerStore } from '../../ledger/index.js';
import {
  PANEL_PREPAID_ACCOUNT,
  panelReplayResult,
  replayPanelClose,
  startPanelReplay,
  type EventRules,
  type PanelReplayInput,
  type PanelReplayResult,
} from '../../rules/index.js';
import { createPanelClient, type PanelBatchMode } from '../../sources/index.js';
import { mergeStatusReports, observationsOf, roundedFigures } from '../panel-status-replies.js';
import type { ReplayedCloses, ReplayWindow } from './replayed-closes.js';
import { closeReplies, forEachBookedOrderAmount, orderPlacingDates, orderQuantities, storedCloses, wasQuarantined, type StoredReply } from '../../store/index.js';
import { storedRepliesHttp } from './stored-replies-http.js';

export interface ReplayedPanel extends ReplayedCloses, PanelReplayResult {
  /** Orders today's reader rejects in a stored reply that was read on the night (nothing is booked while there are any). */
  unreadable: { date: string; orderId: string; reason: string }[];
}

/**
 * Re-reads every committed panel close up to the window's end from its stored
 * replies and folds them, in date order, through the rules' panel replay
 * (src/rules/panel/panel-replay.ts): this file reads, the fold computes. Closes before the window only rebuild each order's state (status,
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
  const placingDates = await orderPlacingDates(store, source.id);
  const firstInWindow = closes.find((close) => close.date >= window.from);
  const input: PanelReplayInput = {
    sourceId: source.id,
    chart: options.chart,
    from: window.from,
    quantityOf: (orderId) => quantities.get(orderId),
    placedOn: (orderId) => placingDates.get(orderId),
    // Without a close in the window the fold never starts from the books.
    booksBeforeWindow: firstInWindow
      ? {
          prepaidMicros: await ledger.balanceOf(PANEL_PREPAID_ACCOUNT, firstInWindow.currency, { sourceId: source.id, asOf: addDays(window.from, -1) }),
          orderNetMicros: await storedOrderNet(store, source.id, { before: window.from }),
        }
      : { prepaidMicros: 0n, orderNetMicros: new Map() },
  };
  const replay = startPanelReplay();
  const unreadable: ReplayedPanel['unreadable'] = [];

  for (const close of closes) {
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
      if (!(await wasQuarantined(store, source.id, close.date, invalid.orderId))) unreadable.push({ date: close.date, orderId: invalid.orderId, reason: invalid.reason });
    }
    replayPanelClose(replay, input, {
      closeId: close.closeId,
      date: close.date,
      currency,
      bookedBalanceMicros: close.valueMicros,
      reportedBalanceMicros: balance.balance,
      roundedFigures: roundedFigures(balance, batch),
      observations: observationsOf(polled, batch, currency).observations,
    });
    options.onClose?.(close.date);
  }

  const bookedInWindow = await bookedOrderNetByDay(store, source.id, { from: window.from, before: addDays(window.to, 1) });
  return { sourceId: source.id, ...panelReplayResult(replay, bookedInWindow), unreadable };
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
    let net = byDay.get(date);
    if (!net) byDay.set(date, (net = new Map()));
    net.set(orderId, (net.get(orderId) ?? 0n) + amount);
  });
  return byDay;
}

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
