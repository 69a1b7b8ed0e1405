import type { LedgerStore } from '../../ledger/index.js';
import { toStoredJson, type Finding, type OrderLedgerState, type OrderObservation, type PanelCloseDraft } from '../../rules/index.js';
import { ordersNamed, registerObservedOrders, saveOrderStates, type NewObservedOrderRow, type OrderStateRow } from '../../store/index.js';
import { storeNewEvents, storeNewFindings } from './book-close.js';
import type { CloseContext } from './close-context.js';
import { childOrder, freshRow, type FreshOrder } from './panel-close-orders.js';

/** A close's booking of its orders, a polled chunk at a time, and what it has booked so far. */
export interface OrderBooking {
  context: CloseContext;
  sourceId: string;
  /** Dropped from as each is registered, with its state once observed. */
  fresh: Map<string, FreshOrder>;
  bookedAt: Date;
  /** The close drafted as it goes: the journal of the new events (a first import's 200,000 events are not held) and the late charges. */
  draft: PanelCloseDraft;
  findings: Finding[];
}

/** An order as the ledger held it before this close. */
interface StoredOrder {
  state: OrderLedgerState | undefined;
  quantity: bigint | null;
  createdAt: string | null;
}

/**
 * Books one polled chunk of orders (in a unit of work of its own, outside a dry run): their new
 * events and findings and their next states, from their states as the ledger holds them (read for
 * the chunk alone). The events wait for the close's last unit to be journalized with its balance;
 * a close that stops before it leaves them to the next close (interruptedCloseEvents), whose orders
 * start from the states written here, so nothing is booked twice.
 */
export async function bookOrderChunk(booking: OrderBooking, observations: readonly OrderObservation[]): Promise<void> {
  const { context, sourceId, bookedAt, fresh, draft } = booking;
  const store = context.store;
  const stored = await storedOrders(store, sourceId, observations);
  const chunk = draft.orders(observations, {
    stateOf: (orderId) => stored.get(orderId)?.state,
    quantityOf: (orderId) => stored.get(orderId)?.quantity ?? fresh.get(orderId)?.quantity ?? undefined,
    placedOn: (orderId) => (stored.get(orderId)?.createdAt ?? fresh.get(orderId)?.createdAt ?? undefined)?.slice(0, 10),
  });
  draft.journalize(await storeNewEvents(context, chunk.events, bookedAt));
  for (const found of await storeNewFindings(context, chunk.findings, bookedAt)) booking.findings.push(found);
  await writeOrderStates(store, sourceId, chunk.nextStates, { stored, fresh }, { asOf: context.asOf, now: bookedAt.toISOString() });
}

async function storedOrders(store: LedgerStore, sourceId: string, observations: readonly OrderObservation[]): Promise<Map<string, StoredOrder>> {
  const stored = new Map<string, StoredOrder>();
  for (const order of await ordersNamed(
    store,
    sourceId,
    observations.map((observation) => observation.orderId),
  )) {
    stored.set(order.orderId, { state: order.state, quantity: order.quantity, createdAt: order.createdAt });
  }
  return stored;
}

/** A chunk's next order states: the orders the ledger holds are updated, the others registered with theirs (and no longer fresh). */
async function writeOrderStates(
  store: LedgerStore,
  sourceId: string,
  states: ReadonlyMap<string, OrderLedgerState>,
  orders: { stored: ReadonlyMap<string, unknown>; fresh: Map<string, FreshOrder> },
  meta: { asOf: string; now: string },
): Promise<void> {
  const found: NewObservedOrderRow[] = [];
  const updated: OrderStateRow[] = [];
  for (const [orderId, next] of states) {
    const row = storedState(orderId, next, meta.asOf);
    if (orders.stored.has(orderId)) updated.push(row);
    else {
      // Neither stored nor fresh: a drip-feed or subscription child discovered and polled in this close.
      found.push({ order: orders.fresh.has(orderId) ? freshRow(orderId, orders.fresh.get(orderId)!) : childOrder(orderId), next: row });
      orders.fresh.delete(orderId);
    }
  }
  await registerObservedOrders(store, sourceId, found, { firstSeenDate: meta.asOf, now: meta.now });
  await saveOrderStates(store, sourceId, updated, meta.now);
}

function storedState(orderId: string, next: OrderLedgerState, asOf: string): OrderStateRow {
  return { orderId, state: toStoredJson(next), terminal: next.terminal, unknownSince: next.unknownSince ?? null, lastObservedDate: asOf };
}
