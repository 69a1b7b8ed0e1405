import { sql } from 'kysely';
import type { EntryWindow } from '../../ledger/index.js';
import { queryBuilder, type StoreHandle } from '../../store/index.js';

/** Every account each source's entries use, with the first date it is used on: what a plain-text ledger opens. */
export async function accountsInUse(
  store: StoreHandle,
  window: EntryWindow,
): Promise<{ sourceId: string; account: string; firstDate: string }[]> {
  let query = queryBuilder(store)
    .selectFrom('journal_entries as e')
    .innerJoin('journal_lines as l', 'l.entry_id', 'e.id')
    .select(['e.source_id as sourceId', 'l.account', sql<string>`MIN(e.date)`.as('firstDate')])
    .groupBy(['e.source_id', 'l.account'])
    .orderBy('e.source_id')
    .orderBy('l.account');
  if (window.from) query = query.where('e.date', '>=', window.from);
  if (window.to) query = query.where('e.date', '<=', window.to);
  return store.all(query);
}
