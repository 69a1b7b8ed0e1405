import type { LedgerStore } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';

/** What each fall was explained by, per finding id, in the order the closes booked it; only closes dated on or before `asOf`. */
export async function fallExplanations(
  store: LedgerStore,
  asOf: string,
): Promise<Map<string, { orderId: string; amountMicros: bigint }[]>> {
  const byFinding = new Map<string, { orderId: string; amountMicros: bigint }[]>();
  for await (const row of store.iterate(
    queryBuilder(store)
      .selectFrom('fall_explanations')
      .select(['finding_id', 'order_id', 'amount_micros'])
      .where('date', '<=', asOf)
      .orderBy('id'),
  )) {
    const list = byFinding.get(row.finding_id) ?? [];
    list.push({ orderId: row.order_id, amountMicros: BigInt(row.amount_micros) });
    byFinding.set(row.finding_id, list);
  }
  return byFinding;
}
