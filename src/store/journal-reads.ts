import { sql } from 'kysely';
import type { LedgerStore } from './ledger-store.js';
import { hasExactLines } from './journal.js';
import { queryBuilder } from './query-builder.js';

/** The net of each account and currency over a source's entries dated `date`: its daily movements (migration 0022). */
export async function dayNetByAccount(
  store: LedgerStore,
  sourceId: string,
  date: string,
): Promise<{ account: string; currency: string; netMicros: bigint }[]> {
  return (
    await store.all(
      queryBuilder(store)
        .selectFrom('daily_movements as m')
        .select(['m.account', 'm.currency', sql<bigint>`m.debit_micros - m.credit_micros`.as('net')])
        .where('m.source_id', '=', sourceId)
        .where('m.date', '=', date)
        .where(hasExactLines),
    )
  ).map((row) => ({ account: row.account, currency: row.currency, netMicros: BigInt(row.net) }));
}

/** How many of a source's entries dated `date` have an id starting with `idPrefix`. */
export async function countEntriesWithIdPrefix(
  store: LedgerStore,
  sourceId: string,
  date: string,
  idPrefix: string,
): Promise<number> {
  const row = await store.first(
    queryBuilder(store)
      .selectFrom('journal_entries')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('source_id', '=', sourceId)
      .where('date', '=', date)
      .where(sql<string>`substr(id, 1, ${idPrefix.length})`, '=', idPrefix),
  );
  return Number(row?.count ?? 0);
}
