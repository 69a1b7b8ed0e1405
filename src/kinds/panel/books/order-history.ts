import { type StoreHandle, type StoreTx } from '../../../store/index.js';
import { panelQueries } from './panel-tables.js';
import type { OrderCorrection } from '../rules/panel-replay.js';
import { ID_LOOKUP_CHUNK } from './replay-snapshots.js';

/**
 * What the books hold about each panel order over time, read by a replay of
 * the stored replies: the charges and refunds booked for it, the corrections
 * earlier replays made, its quantity, and whether a close quarantined it.
 */

/** Every signed amount the books hold for an order (a charge +, a refund −, a replay's correction as booked), one at a time. */
export async function forEachBookedOrderAmount(
  store: StoreHandle,
  sourceId: string,
  dates: { from?: string; before: string },
  add: (date: string, orderId: string, amountMicros: bigint) => void,
): Promise<void> {
  const from = dates.from ?? '';
  for await (const row of store.iterate(
    panelQueries(store)
      .selectFrom('source_events')
      .select(['date', 'ref', 'kind', 'amount_micros'])
      .where('source_id', '=', sourceId)
      .where('kind', 'in', ['order_charge', 'order_refund'])
      .where('date', '>=', from)
      .where('date', '<', dates.before),
  )) {
    const amount = BigInt(row.amount_micros);
    add(row.date, row.ref, row.kind === 'order_charge' ? amount : -amount);
  }
  for await (const row of store.iterate(
    panelQueries(store)
      .selectFrom('order_corrections')
      .select(['date', 'order_id', 'amount_micros'])
      .where('source_id', '=', sourceId)
      .where('date', '>=', from)
      .where('date', '<', dates.before),
  )) {
    add(row.date, row.order_id, BigInt(row.amount_micros));
  }
}

/** Keeps what a day's correction changed for each order, so a later replay counts it as booked. */
export async function recordOrderCorrections(
  store: StoreTx,
  sourceId: string,
  corrections: readonly OrderCorrection[],
  meta: { entryId: string | undefined; runId: string; now: Date },
): Promise<void> {
  for (const correction of corrections) {
    await store.run(
      panelQueries(store)
        .insertInto('order_corrections')
        .values({
          source_id: sourceId,
          order_id: correction.orderId,
          date: correction.date,
          amount_micros: correction.amountMicros,
          entry_id: meta.entryId ?? null,
          run_id: meta.runId,
          created_at: meta.now.toISOString(),
        }),
    );
  }
}

/** An order the panel answered for in a form that could not be read was quarantined on the night. */
export async function wasQuarantined(
  store: StoreHandle,
  sourceId: string,
  date: string,
  orderId: string,
): Promise<boolean> {
  return (
    (await store.first(
      panelQueries(store)
        .selectFrom('quarantine')
        .select('id')
        .where('source_id', '=', sourceId)
        .where('as_of', '=', date)
        .where('item_ref', '=', `order ${orderId}`),
    )) !== undefined
  );
}

/** What a replay needs of each order besides its state: its quantity and the day it was placed (created_at's first ten characters). */
export interface OrderFacts {
  quantities: Map<string, bigint>;
  placingDates: Map<string, string>;
}

export function noOrderFacts(): OrderFacts {
  return { quantities: new Map(), placingDates: new Map() };
}

/**
 * Adds to `into` the facts of the orders named, or of every order of the source when `orderIds` is undefined:
 * a replay from a kept start names the orders its closes polled, so it reads a day's orders, not the ledger's.
 */
export async function readOrderFacts(
  store: StoreHandle,
  sourceId: string,
  orderIds?: readonly string[],
  into: OrderFacts = noOrderFacts(),
): Promise<OrderFacts> {
  const base = panelQueries(store)
    .selectFrom('orders')
    .select(['order_id', 'quantity', 'created_at'])
    .where('source_id', '=', sourceId);
  const add = (row: { order_id: string; quantity: bigint | null; created_at: string | null }): void => {
    if (row.quantity !== null) into.quantities.set(row.order_id, BigInt(row.quantity));
    if (row.created_at !== null) into.placingDates.set(row.order_id, row.created_at.slice(0, 10));
  };
  if (orderIds === undefined) {
    for await (const row of store.iterate(base)) add(row);
    return into;
  }
  for (let start = 0; start < orderIds.length; start += ID_LOOKUP_CHUNK) {
    for (const row of await store.all(base.where('order_id', 'in', orderIds.slice(start, start + ID_LOOKUP_CHUNK))))
      add(row);
  }
  return into;
}
