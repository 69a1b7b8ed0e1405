import { sql } from 'kysely';
import type { DeliverySummary } from '../../ledger/index.js';
import { queryBuilder, type StoreHandle } from '../../store/index.js';

/** Counts per destination of the entries dated `from`…`to` (every entry, without them), one GROUP BY each. */
export async function deliverySummaries(
  store: StoreHandle,
  options: { destinations: readonly string[]; from?: string; to?: string },
): Promise<DeliverySummary[]> {
  const summaries: DeliverySummary[] = [];
  for (const destination of options.destinations) {
    let query = queryBuilder(store)
      .selectFrom('journal_entries as e')
      .leftJoin('deliveries as d', (join) =>
        join.onRef('d.entry_id', '=', 'e.id').on('d.destination', '=', destination),
      )
      .select([
        sql<bigint>`SUM(CASE WHEN d.state = 'posted' THEN 1 ELSE 0 END)`.as('posted'),
        sql<bigint>`SUM(CASE WHEN d.state IS NULL OR d.state IN ('pending', 'sending') THEN 1 ELSE 0 END)`.as(
          'unposted',
        ),
        sql<bigint>`SUM(CASE WHEN d.state = 'refused' THEN 1 ELSE 0 END)`.as('refused'),
        sql<bigint>`SUM(CASE WHEN d.state = 'skipped' THEN 1 ELSE 0 END)`.as('skipped'),
      ]);
    if (options.from !== undefined) query = query.where('e.date', '>=', options.from);
    if (options.to !== undefined) query = query.where('e.date', '<=', options.to);
    const row = await store.first(query);
    summaries.push({
      destination,
      posted: Number(row?.posted ?? 0n),
      unposted: Number(row?.unposted ?? 0n),
      refused: Number(row?.refused ?? 0n),
      skipped: Number(row?.skipped ?? 0n),
    });
  }
  return summaries;
}
