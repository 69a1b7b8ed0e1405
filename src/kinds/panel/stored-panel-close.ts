import { createSystemClock } from '../../http/index.js';
import { storedRepliesHttp, type StoredReply } from '../../sources/index.js';
import type { PanelBatchMode } from './panel-batch-mode.js';
import { createPanelClient, type PanelBalance, type PanelStatusBatchReport } from './panel-client.js';

/** A panel close read again from the replies it landed: what the live client made of them, in the same types. */
interface StoredPanelClose {
  balance: PanelBalance;
  /** Every order the close asked about, once each, in the order asked. */
  polled: string[];
  /** The status replies of the close, as one report. */
  batch: PanelStatusBatchReport;
}

/**
 * Reads a close's stored panel replies with today's client: each request the close made is made again
 * and answered from its stored reply (storedRepliesHttp), so a parser fix reaches the replayed days and
 * nothing leaves the machine. `what` names the close in the error a missing reply raises.
 */
export async function readStoredPanelClose(
  source: { sourceId: string; url: string; what: string },
  replies: readonly StoredReply[],
): Promise<StoredPanelClose> {
  const client = createPanelClient({
    sourceId: source.sourceId,
    url: source.url,
    apiKey: '',
    http: storedRepliesHttp(source.sourceId, source.what, replies),
    clock: createSystemClock(),
    batchMode: firstBatchMode(replies),
  });
  const balance = await client.balance();
  const batches = polledBatches(replies);
  const polled = [...new Set(batches.flat())];
  const [first = [], ...later] = batches;
  const batch = await client.statusBatch(first);
  for (const orderIds of later) mergeStatusReports(batch, await client.statusBatch(orderIds));
  return { balance, polled, batch };
}

/** Adds a second poll of the same close to the first: its orders, unknown and invalid ids, raw rows, and the batch form that worked last. */
export function mergeStatusReports(into: PanelStatusBatchReport, from: PanelStatusBatchReport): void {
  for (const [orderId, status] of from.orders) into.orders.set(orderId, status);
  for (const order of from.unknown) into.unknown.push(order);
  for (const order of from.invalid) into.invalid.push(order);
  for (const id of from.rawObservationIds) into.rawObservationIds.push(id);
  into.batchMode = from.batchMode;
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
