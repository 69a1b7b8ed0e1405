import { sql } from 'kysely';
import type { StoreHandle } from '../../../store/index.js';
import { panelQueries } from './panel-tables.js';

/** What the read side asks of the panel's orders: the ones open too long (reconcile) and how many of each (status). */

/** An order still open, as reconcile judges whether it is stuck. */
export interface OpenOrderSince {
  orderId: string;
  firstSeenDate: string;
  createdAt: string | null;
}

/** A source's orders by standing, as status counts them. */
export interface OrderCounts {
  sourceId: string;
  open: number;
  unknown: number;
  terminal: number;
}

/** A source's orders still open (not finished, known to the panel) that the ledger first saw on or before `seenBy`, oldest first. */
export async function ordersOpenSince(store: StoreHandle, sourceId: string, seenBy: string): Promise<OpenOrderSince[]> {
  return (
    await store.all(
      panelQueries(store)
        .selectFrom('orders')
        .select(['order_id', 'first_seen_date', 'created_at'])
        .where('source_id', '=', sourceId)
        .where('terminal', '=', 0)
        .where('unknown_since', 'is', null)
        .where('first_seen_date', '<=', seenBy)
        .orderBy('first_seen_date')
        .orderBy('order_id'),
    )
  ).map((row) => ({ orderId: row.order_id, firstSeenDate: row.first_seen_date, createdAt: row.created_at }));
}

/** Each source's orders: open (not terminal, state known), unknown (the panel no longer answers for them), terminal. */
export async function ordersBySource(store: StoreHandle): Promise<OrderCounts[]> {
  const orders = await store.all(
    panelQueries(store)
      .selectFrom('orders')
      .select([
        'source_id',
        sql<bigint>`SUM(CASE WHEN terminal = 0 AND unknown_since IS NULL THEN 1 ELSE 0 END)`.as('open'),
        sql<bigint>`SUM(CASE WHEN unknown_since IS NOT NULL THEN 1 ELSE 0 END)`.as('unknown'),
        sql<bigint>`SUM(CASE WHEN terminal = 1 THEN 1 ELSE 0 END)`.as('terminal'),
      ])
      .groupBy('source_id')
      .orderBy('source_id'),
  );
  return orders.map((row) => ({
    sourceId: row.source_id,
    open: Number(row.open),
    unknown: Number(row.unknown),
    terminal: Number(row.terminal),
  }));
}
