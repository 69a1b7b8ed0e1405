import type { Compilable } from 'kysely';
import type { LedgerStore } from './ledger-store.js';

/** Ids per statement: one `IN (…)` list each, well under SQLite's and PostgreSQL's limits on bound parameters. */
const IDS_PER_QUERY = 500;

/** The rows `queryOf` reads for `ids`, asked IDS_PER_QUERY ids at a time (a few statements for thousands of ids). */
export async function* rowsOfIds<Id, Row>(
  store: LedgerStore,
  ids: readonly Id[],
  queryOf: (idList: readonly Id[]) => Compilable<Row>,
): AsyncGenerator<Row> {
  for (let start = 0; start < ids.length; start += IDS_PER_QUERY)
    yield* await store.all(queryOf(ids.slice(start, start + IDS_PER_QUERY)));
}
