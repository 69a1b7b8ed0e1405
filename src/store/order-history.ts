import type { LedgerStore } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';

/**
 * What the books hold about each panel order over time, read by a replay of
 * the stored replies: the charges and refunds booked for it, the corrections
 * earlier replays made, its quantity, and whether a close quarantined it.
 */

/** Every signed amount the books hold for an order (a charge +, a refund −, a replay's correction as booked), one at a time. */
export async function forEachBookedOrderAmount(
  store: LedgerStore,
  sourceId: string,
  dates: { from?: string; before: string },
  add: (date: string, orderId: string, amountMicros: bigint) => void,
): Promise<void> {
  const from = dates.from ?? '';
  for await (const row of store.iterate(
    queryBuilder(store)
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
    queryBuilder(store)
      .selectFrom('order_corrections')
      .select(['date', 'order_id', 'amount_micros'])
      .where('source_id', '=', sourceId)
      .where('date', '>=', from)
      .where('date', '<', dates.before),
  )) {
    add(row.date, row.order_id, BigInt(row.amount_micros));
  }
}

export interface OrderCorrectionRecord {
  orderId: string;
  date: string;
  amountMicros: bigint;
}

/** Keeps what a day's correction changed for each order, so a later replay counts it as booked. */
export async function recordOrderCorrections(
  store: LedgerStore,
  sourceId: string,
  corrections: readonly OrderCorrectionRecord[],
  meta: { entryId: string | undefined; runId: string; now: Date },
): Promise<void> {
  for (const correction of corrections) {
    await store.run(
      queryBuilder(store).insertInto('order_corrections').values({
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
export async function wasQuarantined(store: LedgerStore, sourceId: string, date: string, orderId: string): Promise<boolean> {
  return (
    await store.first(
      queryBuilder(store).selectFrom('quarantine').select('id').where('source_id', '=', sourceId).where('as_of', '=', date).where('item_ref', '=', `order ${orderId}`),
    ) !== undefined
  );
}

/** The day every order with a created_at was placed (its first ten characters, the date a close goes by). */
export async function orderPlacingDates(store: LedgerStore, sourceId: string): Promise<Map<string, string>> {
  const dates = new Map<string, string>();
  for await (const row of store.iterate(queryBuilder(store).selectFrom('orders').select(['order_id', 'created_at']).where('source_id', '=', sourceId).where('created_at', 'is not', null))) {
    if (row.created_at !== null) dates.set(row.order_id, row.created_at.slice(0, 10));
  }
  return dates;
}

/** The quantity of every order that has one. */
export async function orderQuantities(store: LedgerStore, sourceId: string): Promise<Map<string, bigint>> {
  const quantities = new Map<string, bigint>();
  for await (const row of store.iterate(queryBuilder(store).selectFrom('orders').select(['order_id', 'quantity']).where('source_id', '=', sourceId).where('quantity', 'is not', null))) {
    if (row.quantity !== null) quantities.set(row.order_id, BigInt(row.quantity));
  }
  return quantities;
}
