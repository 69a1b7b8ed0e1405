import type { Compilable } from 'kysely';
import { toStoredJson } from '../../../rules/index.js';
import { type StoreHandle, type StoreTx } from '../../../store/index.js';
import { panelQueries } from './panel-tables.js';
import { PanelBalanceStateSchema, type PanelBalanceState } from '../rules/balance-reconciliation.js';
import { OrderLedgerStateSchema, type OrderLedgerState } from '../rules/order-ledger-state.js';

/**
 * What a replay starts from, as it stood after each close (migration 0010): each order's state after the
 * close that observed it (the current one in its orders row, those replaced since kept by the database,
 * migration 0016) and the panel's carried balance state.
 */

/** Ids asked about per query: well under SQLite's limit of 32,766 parameters. */
export const ID_LOOKUP_CHUNK = 500;

/** Keeps the panel's carried balance state as it stands after the close of `date` (a rerun of the day replaces it). */
export async function recordPanelBalanceByClose(
  store: StoreTx,
  sourceId: string,
  date: string,
  state: unknown,
): Promise<void> {
  const text = toStoredJson(state);
  await store.run(
    panelQueries(store)
      .insertInto('panel_balance_by_close')
      .values({ source_id: sourceId, date, state: text })
      .onConflict((conflict) => conflict.columns(['source_id', 'date']).doUpdateSet({ state: text })),
  );
}

/** The panel's balance state kept after the close of each of these dates, by date; a date without one is absent. */
export async function panelBalancesByClose(
  store: StoreHandle,
  sourceId: string,
  dates: readonly string[],
): Promise<Map<string, PanelBalanceState>> {
  if (dates.length === 0) return new Map();
  const rows = await store.all(
    panelQueries(store)
      .selectFrom('panel_balance_by_close')
      .select(['date', 'state'])
      .where('source_id', '=', sourceId)
      .where('date', 'in', [...new Set(dates)]),
  );
  return new Map(rows.map((row) => [row.date, PanelBalanceStateSchema.parse(JSON.parse(row.state))]));
}

/**
 * Each order's state as it stood after the close of `asOf`: of the states a later close replaced
 * (order_states_by_close) and the order's current one (orders, as of its last_observed_date), the one
 * with the latest date on or before `asOf` (migration 0016). Only the orders named, or every order of
 * the source when `orderIds` is undefined; an order no close had observed by then is absent.
 */
export async function orderStatesAsOf(
  store: StoreHandle,
  sourceId: string,
  asOf: string,
  orderIds?: readonly string[],
): Promise<Map<string, OrderLedgerState>> {
  const db = panelQueries(store);
  const replaced = (ids?: readonly string[]): Compilable<DatedState> => {
    const query = db
      .selectFrom('order_states_by_close')
      .select(['order_id', 'date', 'state'])
      .where('source_id', '=', sourceId)
      .where('date', '<=', asOf);
    return ids === undefined ? query : query.where('order_id', 'in', ids);
  };
  const current = (ids?: readonly string[]): Compilable<DatedState> => {
    const query = db
      .selectFrom('orders')
      .select(['order_id', 'last_observed_date as date', 'state'])
      .where('source_id', '=', sourceId)
      .where('state', 'is not', null)
      .where('last_observed_date', '<=', asOf);
    return ids === undefined ? query : query.where('order_id', 'in', ids);
  };
  const latest = new Map<string, { date: string; state: string }>();
  // The current states last: on one date (which the database never keeps twice) the orders row wins.
  for (const query of [replaced, current]) {
    for await (const row of datedStates(store, query, orderIds)) {
      const kept = latest.get(row.order_id);
      if (row.date !== null && row.state !== null && (kept === undefined || row.date >= kept.date))
        latest.set(row.order_id, { date: row.date, state: row.state });
    }
  }
  // Parsed once each, after the latest row of every order has won.
  return new Map([...latest].map(([orderId, { state }]) => [orderId, OrderLedgerStateSchema.parse(JSON.parse(state))]));
}

interface DatedState {
  order_id: string;
  date: string | null;
  state: string | null;
}

async function* datedStates(
  store: StoreHandle,
  query: (ids?: readonly string[]) => Compilable<DatedState>,
  orderIds: readonly string[] | undefined,
): AsyncGenerator<DatedState> {
  if (orderIds === undefined) {
    yield* store.iterate(query());
    return;
  }
  for (let start = 0; start < orderIds.length; start += ID_LOOKUP_CHUNK)
    yield* await store.all(query(orderIds.slice(start, start + ID_LOOKUP_CHUNK)));
}
