import { OrderLedgerStateSchema, PanelBalanceStateSchema, toStoredJson, type OrderLedgerState, type PanelBalanceState } from '../rules/index.js';
import type { LedgerStore } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';

/**
 * What a replay starts from, as it stood after each close (migration 0010): each order's state after the
 * close that observed it (written by the database with every state) and the panel's carried balance state.
 */

/** Ids asked about per query: well under SQLite's limit of 32,766 parameters. */
export const ID_LOOKUP_CHUNK = 500;

/** Keeps the panel's carried balance state as it stands after the close of `date` (a rerun of the day replaces it). */
export async function recordPanelBalanceByClose(store: LedgerStore, sourceId: string, date: string, state: unknown): Promise<void> {
  const text = toStoredJson(state);
  await store.run(
    queryBuilder(store)
      .insertInto('panel_balance_by_close')
      .values({ source_id: sourceId, date, state: text })
      .onConflict((conflict) => conflict.columns(['source_id', 'date']).doUpdateSet({ state: text })),
  );
}

/** The panel's balance state kept after the close of each of these dates, by date; a date without one is absent. */
export async function panelBalancesByClose(store: LedgerStore, sourceId: string, dates: readonly string[]): Promise<Map<string, PanelBalanceState>> {
  if (dates.length === 0) return new Map();
  const rows = await store.all(queryBuilder(store).selectFrom('panel_balance_by_close').select(['date', 'state']).where('source_id', '=', sourceId).where('date', 'in', [...new Set(dates)]));
  return new Map(rows.map((row) => [row.date, PanelBalanceStateSchema.parse(JSON.parse(row.state))]));
}

/**
 * Each order's state as it stood after the close of `asOf`: the one kept with the latest date on or before
 * it. Only the orders named, or every order of the source when `orderIds` is undefined; an order no close
 * had observed by then is absent.
 */
export async function orderStatesAsOf(store: LedgerStore, sourceId: string, asOf: string, orderIds?: readonly string[]): Promise<Map<string, OrderLedgerState>> {
  const texts = new Map<string, string>();
  const base = queryBuilder(store)
    .selectFrom('order_states_by_close')
    .select(['order_id', 'state'])
    .where('source_id', '=', sourceId)
    .where('date', '<=', asOf)
    .orderBy('order_id')
    .orderBy('date');
  if (orderIds === undefined) {
    for await (const row of store.iterate(base)) texts.set(row.order_id, row.state);
  } else {
    for (let start = 0; start < orderIds.length; start += ID_LOOKUP_CHUNK) {
      for (const row of await store.all(base.where('order_id', 'in', orderIds.slice(start, start + ID_LOOKUP_CHUNK)))) texts.set(row.order_id, row.state);
    }
  }
  // Parsed once each, after the latest kept row of every order has won.
  return new Map([...texts].map(([orderId, text]) => [orderId, OrderLedgerStateSchema.parse(JSON.parse(text))]));
}
