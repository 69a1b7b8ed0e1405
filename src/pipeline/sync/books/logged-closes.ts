import type { CloseTaken } from '../../../ledger/index.js';
import { queryBuilder, type StoreTx } from '../../../store/index.js';

/**
 * Records the close actually taken: `source_closes` keeps the day's latest
 * snapshot (what the next close compares with), `close_log` every committed
 * close with its run, so a replay can find each one's raw replies.
 */
export async function logClose(store: StoreTx, close: CloseTaken): Promise<void> {
  const values = {
    source_id: close.sourceId,
    date: close.date,
    metric: close.metric,
    value_micros: close.valueMicros,
    currency: close.currency,
    raw_observation_id: close.rawObservationId === undefined ? null : BigInt(close.rawObservationId),
    taken_at: close.now.toISOString(),
  };
  await store.run(
    queryBuilder(store)
      .insertInto('source_closes')
      .values(values)
      .onConflict((conflict) =>
        conflict.columns(['source_id', 'date', 'metric']).doUpdateSet({
          value_micros: values.value_micros,
          raw_observation_id: values.raw_observation_id,
          taken_at: values.taken_at,
        }),
      ),
  );
  await store.run(
    queryBuilder(store)
      .insertInto('close_log')
      .values({ ...values, run_id: close.runId }),
  );
}
