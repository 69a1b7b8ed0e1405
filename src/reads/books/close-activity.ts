import { sql } from 'kysely';
import type { CloseActivity } from '../../rules/index.js';
import { queryBuilder, type StoreHandle } from '../../store/index.js';

/** Each balance a panel reported at a close (the day's latest snapshot), by date: what a plain-text ledger asserts. */
export async function reportedBalances(
  store: StoreHandle,
  window: { from?: string | undefined; to?: string | undefined },
): Promise<{ sourceId: string; date: string; valueMicros: bigint; currency: string }[]> {
  let query = queryBuilder(store)
    .selectFrom('source_closes')
    .select(['source_id', 'date', 'value_micros', 'currency'])
    .where('metric', '=', 'balance')
    .orderBy('date')
    .orderBy('source_id');
  if (window.from) query = query.where('date', '>=', window.from);
  if (window.to) query = query.where('date', '<=', window.to);
  return (await store.all(query)).map((row) => ({
    sourceId: row.source_id,
    date: row.date,
    valueMicros: BigInt(row.value_micros),
    currency: row.currency,
  }));
}

/**
 * Each source's close of each day from `from` on (the day's last committed close: its figure) with the journal
 * entries of the source dated that day, in source and date order: what the silent-source finding judges.
 */
export async function closeActivity(store: StoreHandle, from: string): Promise<CloseActivity[]> {
  const db = queryBuilder(store);
  const closes = await store.all(
    db
      .selectFrom('close_log')
      .select(['source_id', 'date', 'value_micros'])
      .where(
        'id',
        'in',
        db
          .selectFrom('close_log')
          .select(sql<bigint>`MAX(id)`.as('id'))
          .where('date', '>=', from)
          .groupBy(['source_id', 'date']),
      )
      .orderBy('source_id')
      .orderBy('date'),
  );
  const entries = await store.all(
    db
      .selectFrom('journal_entries')
      .select(['source_id', 'date', sql<number>`COUNT(*)`.as('entries')])
      .where('date', '>=', from)
      .groupBy(['source_id', 'date']),
  );
  const booked = new Map(entries.map((row) => [`${row.source_id} ${row.date}`, Number(row.entries)]));
  return closes.map((row) => ({
    sourceId: row.source_id,
    date: row.date,
    valueMicros: BigInt(row.value_micros),
    entries: booked.get(`${row.source_id} ${row.date}`) ?? 0,
  }));
}
