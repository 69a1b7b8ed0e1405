import { shouldRepoll } from './rules/unknown-order-retention.js';
import { sortedByOrderId } from './rules/polling-order.js';
import type { OrdersFileOrder } from './orders-file.js';
import type { FoundOrder, NewOrder, SyncBooksTx } from '../../pipeline/sync/index.js';

/*
 * Which orders a panel close knows and asks about: those the ledger holds, and those it names
 * first in this close (from the orders file, a webhook, or a subscription's or drip-feed's reply).
 */

/** An order this close names first (the orders file, or a webhook: null), not in the ledger before it. */
export type FreshOrder = OrdersFileOrder | null;

/** Adds the orders the webhooks name that the ledger does not hold to those the files named. */
export async function withWebhookOrders(
  books: SyncBooksTx,
  sourceId: string,
  fileOrders: Map<string, FreshOrder>,
  webhookOrderIds: readonly string[],
): Promise<Map<string, FreshOrder>> {
  const held = await books.knownOrderIds(sourceId, webhookOrderIds);
  for (const orderId of webhookOrderIds)
    if (!held.has(orderId) && !fileOrders.has(orderId)) fileOrders.set(orderId, null);
  return fileOrders;
}

/**
 * The orders a close asks about, in polling order: those a backfill asked about again, and the open
 * and fresh ones placed by the close's date that are not finished nor unknown for longer than the retention.
 */
export async function ordersToPoll(
  books: SyncBooksTx,
  sourceId: string,
  close: { fresh: ReadonlyMap<string, FreshOrder>; repoll: ReadonlySet<string>; asOf: string; retentionDays: number },
): Promise<string[]> {
  const placedBy = (createdAt: string | null | undefined) =>
    createdAt === null || createdAt === undefined || createdAt.slice(0, 10) <= close.asOf;
  const toPoll = new Set<string>();
  for (const order of await books.ordersNamed(sourceId, [...close.repoll])) toPoll.add(order.orderId);
  for (const orderId of close.repoll) if (close.fresh.has(orderId)) toPoll.add(orderId);
  for await (const orders of books.openOrderHeads(sourceId)) {
    for (const order of orders) {
      if (
        placedBy(order.createdAt) &&
        shouldRepoll(
          { terminal: false, unknownSince: order.unknownSince ?? undefined },
          close.asOf,
          close.retentionDays,
        )
      )
        toPoll.add(order.orderId);
    }
  }
  for (const [orderId, order] of close.fresh) if (placedBy(order?.createdAt)) toPoll.add(orderId);
  return sortedByOrderId(toPoll);
}

/** The children the replies named that the ledger neither holds nor was told of in this close: still to be polled. */
export async function childrenNotHeld(
  books: SyncBooksTx,
  sourceId: string,
  named: readonly string[],
  fresh: ReadonlyMap<string, FreshOrder>,
): Promise<string[]> {
  const unknown = named.filter((orderId) => !fresh.has(orderId));
  const registered = await books.knownOrderIds(sourceId, unknown);
  return unknown.filter((orderId) => !registered.has(orderId));
}

/**
 * The orders this close found first (those the file or a webhook named, and
 * drip-feed children) that no chunk registered with a state: not polled, or
 * polled with no answer.
 */
export function* unobservedNewOrders(
  fresh: ReadonlyMap<string, FreshOrder>,
  children: readonly string[],
): Generator<FoundOrder> {
  for (const [orderId, order] of fresh) yield { order: freshRow(orderId, order), next: undefined };
  for (const childId of children) yield { order: childOrder(childId), next: undefined };
}

export function freshRow(orderId: string, order: FreshOrder): NewOrder {
  if (order === null) return { orderId, service: null, quantity: null, createdAt: null, discoveredVia: 'webhook' };
  return {
    orderId,
    service: order.service,
    quantity: order.quantity ?? null,
    createdAt: order.createdAt ?? null,
    discoveredVia: 'orders-file',
  };
}

export function childOrder(orderId: string): NewOrder {
  return { orderId, service: null, quantity: null, createdAt: null, discoveredVia: 'drip-feed' };
}
