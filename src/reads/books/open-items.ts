import { sql } from 'kysely';
import { queryBuilder, type StoreHandle } from '../../store/index.js';
import type { RefusedDelivery } from './ledger-reads.js';

/** What is open for a person to look at, dated on or before `asOf`, in the order `reconcile` lists it. */

/** Each source's latest close date. */
export async function latestCloseDates(store: StoreHandle): Promise<{ sourceId: string; date: string }[]> {
  return store.all(
    queryBuilder(store)
      .selectFrom('source_closes')
      .select(['source_id as sourceId', sql<string>`MAX(date)`.as('date')])
      .groupBy('source_id')
      .orderBy('source_id'),
  );
}

/** Findings not resolved yet. */
export function openFindings(store: StoreHandle, asOf: string) {
  return store.iterate(
    queryBuilder(store)
      .selectFrom('discrepancies')
      .selectAll()
      .where('resolved_at', 'is', null)
      .where('date', '<=', asOf)
      .orderBy('date')
      .orderBy('source_id')
      .orderBy('kind')
      .orderBy('ref'),
  );
}

/** Quarantined replies, webhooks and input rows not resolved yet. */
export function openQuarantine(store: StoreHandle, asOf: string) {
  return store.iterate(
    queryBuilder(store)
      .selectFrom('quarantine')
      .selectAll()
      .where('resolved_at', 'is', null)
      .where('as_of', '<=', asOf)
      .orderBy('id'),
  );
}

/**
 * Entries a destination refused, in book order. The deliveries are read first (a CROSS JOIN, which SQLite keeps
 * in the order written): joined from the entries, SQLite walked every entry of the window and looked each up in
 * the deliveries, a million-line ledger's every console page paying for it when nothing was refused.
 */
export function refusedDeliveries(store: StoreHandle, asOf: string): AsyncIterable<RefusedDelivery> {
  return store.iterate(
    queryBuilder(store)
      .selectFrom('deliveries as d')
      .crossJoin('journal_entries as e')
      .whereRef('e.id', '=', 'd.entry_id')
      .select([
        'd.entry_id as entryId',
        'd.destination',
        'd.last_error as lastError',
        'e.date',
        'e.source_id as sourceId',
      ])
      .where('d.state', '=', 'refused')
      .where('e.date', '<=', asOf)
      .orderBy('e.date')
      .orderBy('e.source_id')
      .orderBy('e.id'),
  );
}

/** Each source's latest balance close on or before `asOf`: what its panel reported. */
export async function latestBalanceCloses(
  store: StoreHandle,
  asOf: string,
): Promise<{ sourceId: string; date: string; valueMicros: bigint; currency: string }[]> {
  return (
    await store.all(
      queryBuilder(store)
        .selectFrom('source_closes as c')
        .select(['c.source_id', 'c.date', 'c.value_micros', 'c.currency'])
        .where('c.metric', '=', 'balance')
        .where('c.date', '<=', asOf)
        .where('c.date', '=', (eb) =>
          eb
            .selectFrom('source_closes as l')
            .select(sql<string>`MAX(l.date)`.as('d'))
            .whereRef('l.source_id', '=', 'c.source_id')
            .where('l.metric', '=', 'balance')
            .where('l.date', '<=', asOf),
        ),
    )
  ).map((row) => ({
    sourceId: row.source_id,
    date: row.date,
    valueMicros: BigInt(row.value_micros),
    currency: row.currency,
  }));
}
