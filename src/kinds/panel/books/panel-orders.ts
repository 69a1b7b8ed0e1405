import { sql } from 'kysely';
import { type StoreHandle, type StoreTx, statements } from '../../../store/index.js';
import { panelQueries } from './panel-tables.js';
import { OrderLedgerStateSchema, type OrderLedgerState } from '../rules/order-ledger-state.js';
import { ID_LOOKUP_CHUNK } from './replay-snapshots.js';

/**
 * The panel orders the ledger knows: registered when an orders file, a
 * webhook or a drip-feed parent first names them, or when the panel proxy
 * sees the panel accept an `add`, then carrying the state
 * each close leaves them in (JSON text, read here through the rules' schema).
 */

export interface NewOrderRow {
  orderId: string;
  service: string | null;
  quantity: bigint | null;
  createdAt: string | null;
  discoveredVia: string;
}

/** What decides whether a close asks about an open order: when it was placed and since when the panel has not known it. */
export interface OpenOrderHead {
  orderId: string;
  createdAt: string | null;
  unknownSince: string | null;
}

/** Open orders read per chunk: a first import lists its 200,000 fresh orders here, and a promise per row cost 0.4 s. */
const OPEN_ORDER_CHUNK = 5_000;

/** The source's orders that are not finished, without their state, a chunk at a time: a nightly close holds no state it does not poll. */
export async function* openOrderHeads(store: StoreHandle, sourceId: string): AsyncGenerator<OpenOrderHead[]> {
  const query = panelQueries(store)
    .selectFrom('orders')
    .select(['order_id', 'created_at', 'unknown_since'])
    .where('source_id', '=', sourceId)
    .where('terminal', '=', 0);
  for await (const rows of store.iterateArrayChunks(query, OPEN_ORDER_CHUNK)) {
    yield rows.map(([orderId, createdAt, unknownSince]) => ({
      orderId: orderId as string,
      createdAt: createdAt as string | null,
      unknownSince: unknownSince as string | null,
    }));
  }
}

/** An order the ledger holds, as a close reads it before polling: its state (none before a close observed it), quantity and placing. */
export interface HeldOrder extends Pick<NewOrderRow, 'orderId' | 'quantity' | 'createdAt'> {
  state: OrderLedgerState | undefined;
}

/** The orders among these ids that the ledger knows, finished or not; only the columns a close reads (a first import reads 200,000). */
export async function ordersNamed(
  store: StoreHandle,
  sourceId: string,
  orderIds: readonly string[],
): Promise<HeldOrder[]> {
  // Rows as arrays: an object per row from the driver was one more allocation per polled order.
  const rows = await inChunks(orderIds, (chunk) =>
    store.allArrays(
      panelQueries(store)
        .selectFrom('orders')
        .select(['order_id', 'quantity', 'state', 'created_at'])
        .where('source_id', '=', sourceId)
        .where('order_id', 'in', chunk),
    ),
  );
  return rows.map(([orderId, quantity, state, createdAt]) => ({
    orderId: orderId as string,
    quantity: quantity as bigint | null,
    state: state === null ? undefined : OrderLedgerStateSchema.parse(JSON.parse(state as string)),
    createdAt: createdAt as string | null,
  }));
}

/**
 * Which of these ids the ledger already knows. One query per 500 ids: an
 * orders file that lists every order ever placed used to cost a query per row.
 */
export async function knownOrderIds(
  store: StoreHandle,
  sourceId: string,
  orderIds: readonly string[],
): Promise<Set<string>> {
  const rows = await inChunks([...new Set(orderIds)], (chunk) =>
    store.all(
      panelQueries(store)
        .selectFrom('orders')
        .select('order_id')
        .where('source_id', '=', sourceId)
        .where('order_id', 'in', chunk),
    ),
  );
  return new Set(rows.map((row) => row.order_id));
}

/** Whether the ledger knows any order of the source. */
export async function holdsOrders(store: StoreHandle, sourceId: string): Promise<boolean> {
  const held = await store.first(
    panelQueries(store).selectFrom('orders').select('order_id').where('source_id', '=', sourceId).limit(1),
  );
  return held !== undefined;
}

/** The stored state of one order: undefined when the ledger does not know it, null when no close has observed it. */
export async function orderState(
  store: StoreHandle,
  sourceId: string,
  orderId: string,
): Promise<string | null | undefined> {
  return (
    await store.first(
      panelQueries(store)
        .selectFrom('orders')
        .select('state')
        .where('source_id', '=', sourceId)
        .where('order_id', '=', orderId),
    )
  )?.state;
}

/** The columns an order is registered with, in the order both registering statements bind them. */
const REGISTERED_ORDER_COLUMNS = {
  source_id: 'text',
  order_id: 'text',
  service: 'text',
  quantity: 'bigint',
  created_at: 'text',
  discovered_via: 'text',
  first_seen_date: 'text',
} as const;

const INSERT_ORDER = statements.insert(
  'orders',
  { ...REGISTERED_ORDER_COLUMNS, updated_at: 'text' },
  sql`ON CONFLICT (source_id, order_id) DO NOTHING`,
  // One registration's orders share their source, how they were found, the day and the time.
  ['source_id', 'discovered_via', 'first_seen_date', 'updated_at'],
);

/** INSERT_ORDER's rows for orders found together. One array refilled for every order: runEach copies a row's values out before the next. */
function* registeredRows(
  sourceId: string,
  orders: Iterable<NewOrderRow>,
  meta: { firstSeenDate: string; now: string },
) {
  const row: unknown[] = [sourceId, null, null, null, null, null, meta.firstSeenDate, meta.now];
  for (const order of orders) {
    row[1] = order.orderId;
    row[2] = order.service;
    row[3] = order.quantity;
    row[4] = order.createdAt;
    row[5] = order.discoveredVia;
    yield row;
  }
}

/** Makes orders known to the ledger; first sight wins, so an order already known keeps its record. One RowStatement for all (StoreHandle.runEach). */
export async function registerOrders(
  store: StoreTx,
  sourceId: string,
  orders: Iterable<NewOrderRow>,
  meta: { firstSeenDate: string; now: string },
): Promise<void> {
  await store.runEach(INSERT_ORDER, registeredRows(sourceId, orders, meta));
}

/**
 * Makes one order the panel has just placed known to the ledger, at once and on its own (the panel
 * proxy, before it answers its caller). An order already known keeps its record, as in
 * registerOrders; returns whether this call registered it.
 */
export async function registerPlacedOrder(
  store: StoreTx,
  sourceId: string,
  order: NewOrderRow,
  meta: { firstSeenDate: string; now: string },
): Promise<'registered' | 'already-known'> {
  const changes = await store.runEach(INSERT_ORDER, registeredRows(sourceId, [order], meta));
  return changes === 1 ? 'registered' : 'already-known';
}

const REGISTER_OBSERVED_ORDER = statements.ofRows(
  {
    ...REGISTERED_ORDER_COLUMNS,
    state: 'text',
    terminal: 'bigint',
    unknown_since: 'text',
    last_observed_date: 'text',
    updated_at: 'text',
  },
  (
    rows,
    values,
    orFail,
  ) => sql`INSERT ${orFail} INTO orders (source_id, order_id, service, quantity, created_at, discovered_via, first_seen_date, state, terminal, unknown_since, last_observed_date, updated_at)
SELECT ${values} FROM ${rows} WHERE true
ON CONFLICT (source_id, order_id) DO UPDATE SET state = excluded.state, terminal = excluded.terminal, unknown_since = excluded.unknown_since,
last_observed_date = excluded.last_observed_date, updated_at = excluded.updated_at WHERE excluded.state IS NOT NULL`,
);

interface NewObservedOrderRow {
  order: NewOrderRow;
  /** The state the close that found the order left it in; undefined when that close did not observe it. */
  next: OrderStateRow | undefined;
}

/**
 * registerOrders then saveOrderStates, in one write per order, for the orders a close finds: each is
 * registered with the state the close left it in (none when not observed). An order already known
 * keeps its record and takes the state, as the two calls would leave it. A first import of 200,000
 * orders cost an INSERT and then an UPDATE of each row.
 */
export async function registerObservedOrders(
  store: StoreTx,
  sourceId: string,
  orders: Iterable<NewObservedOrderRow>,
  meta: { firstSeenDate: string; now: string },
): Promise<void> {
  function* rows() {
    for (const { order, next } of orders) {
      yield [
        sourceId,
        order.orderId,
        order.service,
        order.quantity,
        order.createdAt,
        order.discoveredVia,
        meta.firstSeenDate,
        next?.state ?? null,
        next?.terminal ? 1 : 0,
        next?.unknownSince ?? null,
        next?.lastObservedDate ?? null,
        meta.now,
      ];
    }
  }
  await store.runEach(REGISTER_OBSERVED_ORDER, rows());
}

export interface OrderStateRow {
  orderId: string;
  /** JSON text of the order's ledger state. */
  state: string;
  terminal: boolean;
  unknownSince: string | null;
  lastObservedDate: string;
}

const UPDATE_ORDER_STATE = statements.update('orders', {
  set: { state: 'text', terminal: 'bigint', unknown_since: 'text', last_observed_date: 'text', updated_at: 'text' },
  key: { source_id: 'text', order_id: 'text' },
});

/** An open order that stays open: `terminal` is not set, so SQLite leaves the orders_open index alone. */
const UPDATE_OPEN_ORDER_STATE = statements.update(
  'orders',
  {
    set: { state: 'text', unknown_since: 'text', last_observed_date: 'text', updated_at: 'text' },
    key: { source_id: 'text', order_id: 'text' },
  },
  sql`terminal = 0`,
);

/**
 * Saves what a close learnt of each order: its state, whether it is finished, since when the panel has not known it.
 * An order that was and stays open is written without its `terminal` column, which SQLite would otherwise take out
 * of the orders_open index and put back for every row (a fifth of the update's cost, 50,000 orders in 25 units:
 * 165 against 203 ms). Should any of them not be open in the ledger (a replay reopening a finished order), they are
 * all written again in full: an update that repeats a row's values changes nothing, its trigger included.
 */
export async function saveOrderStates(
  store: StoreTx,
  sourceId: string,
  states: Iterable<OrderStateRow>,
  now: string,
): Promise<void> {
  const open: OrderStateRow[] = [];
  const finished: OrderStateRow[] = [];
  for (const next of states) (next.terminal ? finished : open).push(next);
  const stillOpen = open.length === 0 ? 0 : await store.runEach(UPDATE_OPEN_ORDER_STATE, openRows(open));
  const inFull = stillOpen === open.length ? finished : [...open, ...finished];
  if (inFull.length > 0) await store.runEach(UPDATE_ORDER_STATE, fullRows(inFull));
  // Generators, not maps: a chunk's rows are made one at a time as SQLite takes them, in one array refilled.
  function* openRows(states: readonly OrderStateRow[]) {
    const row: unknown[] = [null, null, null, now, sourceId, null];
    for (const next of states) {
      row[0] = next.state;
      row[1] = next.unknownSince;
      row[2] = next.lastObservedDate;
      row[5] = next.orderId;
      yield row;
    }
  }
  function* fullRows(states: readonly OrderStateRow[]) {
    const row: unknown[] = [null, null, null, null, now, sourceId, null];
    for (const next of states) {
      row[0] = next.state;
      row[1] = next.terminal ? 1 : 0;
      row[2] = next.unknownSince;
      row[3] = next.lastObservedDate;
      row[6] = next.orderId;
      yield row;
    }
  }
}

async function inChunks<Row>(ids: readonly string[], lookup: (chunk: string[]) => Promise<Row[]>): Promise<Row[]> {
  const rows: Row[] = [];
  for (let start = 0; start < ids.length; start += ID_LOOKUP_CHUNK) {
    for (const row of await lookup(ids.slice(start, start + ID_LOOKUP_CHUNK))) rows.push(row);
  }
  return rows;
}
