import type { OrderObservation } from './rules/order-observation.js';
import type { PanelStatusBatchReport } from './panel-client.js';

// A panel's status replies as the rules take them: the nightly close (pipeline/sync) and the replay of stored replies (pipeline/backfill) both read them so.

/**
 * What the panel said of each polled order, as the rules take it, in polling
 * order; drip-feed parents carry no money and only name their children.
 */
export function observationsOf(
  polled: readonly string[],
  batch: Pick<PanelStatusBatchReport, 'orders' | 'unknown'>,
  currency: string,
): { observations: OrderObservation[]; children: string[] } {
  const observations: OrderObservation[] = [];
  const children: string[] = [];
  const unknown = new Map<string, string>();
  for (const order of batch.unknown) if (!unknown.has(order.orderId)) unknown.set(order.orderId, order.reason);
  for (const orderId of polled) {
    const status = batch.orders.get(orderId);
    if (status) {
      if (status.charge === undefined) {
        for (const child of status.childOrderIds ?? []) children.push(child);
        continue;
      }
      observations.push({
        kind: 'status',
        orderId,
        statusRaw: status.statusRaw,
        chargeMicros: status.charge,
        remainsRaw: status.remainsRaw,
        currency: status.currency ?? currency,
      });
      continue;
    }
    const reason = unknown.get(orderId);
    if (reason !== undefined) observations.push({ kind: 'unknown', orderId, reason });
  }
  return { observations, children };
}

/** The child orders the parents in a status report name, each once, in the order named. */
export function childOrderIds(batch: Pick<PanelStatusBatchReport, 'orders'>): string[] {
  const children = new Set<string>();
  for (const status of batch.orders.values()) for (const child of status.childOrderIds ?? []) children.add(child);
  return [...children];
}

/** How many of a close's figures, its balance and each polled order's charge, the panel wrote finer than a micro-unit. */
export function roundedFigures(balance: { exact: boolean }, batch: Pick<PanelStatusBatchReport, 'orders'>): number {
  return (balance.exact ? 0 : 1) + roundedCharges(batch);
}

/** How many of a report's charges the panel wrote finer than a micro-unit. */
export function roundedCharges(batch: Pick<PanelStatusBatchReport, 'orders'>): number {
  let rounded = 0;
  for (const status of batch.orders.values()) if (status.chargeExact === false) rounded += 1;
  return rounded;
}
