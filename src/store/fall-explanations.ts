import type { BookedFallExplanation } from '../ledger/index.js';
import type { LedgerStore, LedgerTx } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';

/** Records the explanations of a close whose events were new to the ledger (a re-run stores none twice). */
export async function recordFallExplanations(
  store: LedgerTx,
  rows: readonly BookedFallExplanation[],
  meta: { runId: string; now: string },
): Promise<void> {
  for (const row of rows) {
    await store.run(
      queryBuilder(store)
        .insertInto('fall_explanations')
        .values({
          finding_id: row.findingId,
          source_id: row.sourceId,
          order_id: row.orderId,
          amount_micros: row.amountMicros,
          currency: row.currency,
          date: row.date,
          event_id: row.eventId,
          run_id: meta.runId,
          created_at: meta.now,
        })
        .onConflict((conflict) => conflict.column('event_id').doNothing()),
    );
  }
}

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
