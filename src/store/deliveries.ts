import type { Selectable } from 'kysely';
import type { LedgerStore } from './ledger-store.js';
import type { Delivery, DeliveryState, DeliveryWindow } from '../ledger/index.js';
import { rowsOfIds } from './id-lists.js';
import { queryBuilder } from './query-builder.js';
import type { DeliveryTable } from './schema.js';

/**
 * The deliveries table as one destination's outbox is read: by the post, by `doctor` and by the reads alike. The
 * post's books (pipeline/post/books) write it, but `doctor` (pipeline/operations, which the post imports) and the
 * reads may not import the post, so it stays the store's.
 */
export const deliveriesTo = (store: LedgerStore, destination: string) => ({
  /** Ids of the entries in the window that still need delivering (no row yet, pending, or refused before). */
  undeliveredIds: async (window: DeliveryWindow): Promise<Set<string>> => {
    let query = queryBuilder(store)
      .selectFrom('journal_entries as e')
      .leftJoin('deliveries as d', (join) =>
        join.onRef('d.entry_id', '=', 'e.id').on('d.destination', '=', destination),
      )
      .select('e.id')
      .where((where) => where.or([where('d.state', 'is', null), where('d.state', 'in', ['pending', 'refused'])]));
    if (window.from) query = query.where('e.date', '>=', window.from);
    if (window.until) query = query.where('e.date', '<=', window.until);
    return new Set((await store.all(query)).map((row) => row.id));
  },
  /** Deliveries whose request may or may not have been carried out, whatever their date. */
  sending: () => inState(store, destination, 'sending', 'updated_at'),
  /** Every posted delivery, in entry order: what `reconcile --with` reads back from the destination. */
  posted: () => inState(store, destination, 'posted', 'entry_id'),
  rows: async (entryIds: readonly string[]): Promise<Map<string, Delivery>> => {
    const found = new Map<string, Delivery>();
    const rows = rowsOfIds(store, entryIds, (ids) =>
      queryBuilder(store)
        .selectFrom('deliveries')
        .selectAll()
        .where('destination', '=', destination)
        .where('entry_id', 'in', ids),
    );
    for await (const row of rows) found.set(row.entry_id, toDeliveryRow(row));
    return found;
  },
});

async function inState(
  store: LedgerStore,
  destination: string,
  state: DeliveryState,
  order: 'updated_at' | 'entry_id',
): Promise<Delivery[]> {
  const rows = await store.all(
    queryBuilder(store)
      .selectFrom('deliveries')
      .selectAll()
      .where('destination', '=', destination)
      .where('state', '=', state)
      .orderBy(order),
  );
  return rows.map(toDeliveryRow);
}

function toDeliveryRow(row: Selectable<DeliveryTable>): Delivery {
  return {
    entryId: row.entry_id,
    state: row.state,
    remoteId: row.remote_id,
    requestKey: row.request_key,
    attempts: Number(row.attempts),
    lastError: row.last_error,
    updatedAt: row.updated_at,
    exchangeRate: row.exchange_rate,
    rateSource: row.rate_source,
  };
}
