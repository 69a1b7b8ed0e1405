import type { BookedFallExplanation } from '../ledger/index.js';
import type { LedgerTx } from './ledger-store.js';
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
