import { type Finding, type OrderLedgerState, type OrderObservation, type PanelCloseDraft } from '../../rules/index.js';
import { storeNewEvents, storeNewFindings } from './book-close.js';
import type { CloseContext } from './close-context.js';
import { childOrder, freshRow, type FreshOrder } from './panel-close-orders.js';
import type { FoundOrder, ObservedOrderState, SyncBooksTx } from './sync-books.js';

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
export async function bookOrderChunk(booking: OrderBooking, tx: SyncBooksTx, observations: readonly OrderObservation[]): Promise<void> {
  const { sourceId, bookedAt, fresh, draft } = booking;
  const context = { ...booking.context, books: tx };
  const stored = await storedOrders(tx, sourceId, observations);
  const chunk = draft.orders(observations, {
    stateOf: (orderId) => stored.get(orderId)?.state,
    quantityOf: (orderId) => stored.get(orderId)?.quantity ?? fresh.get(orderId)?.quantity ?? undefined,
    placedOn: (orderId) => (stored.get(orderId)?.createdAt ?? fresh.get(orderId)?.createdAt ?? undefined)?.slice(0, 10),
  });
  draft.journalize(await storeNewEvents(context, chunk.events, bookedAt));
  for (const found of await storeNewFindings(context, chunk.findings, bookedAt)) booking.findings.push(found);
  await writeOrderStates(tx, sourceId, chunk.nextStates, { stored, fresh }, { asOf: context.asOf, now: bookedAt });
}

async function storedOrders(books: SyncBooksTx, sourceId: string, observations: readonly OrderObservation[]): Promise<Map<string, StoredOrder>> {
  const stored = new Map<string, StoredOrder>();
  for (const order of await books.ordersNamed(
    sourceId,
    observations.map((observation) => observation.orderId),
  )) {
    stored.set(order.orderId, { state: order.state, quantity: order.quantity, createdAt: order.createdAt });
  }
  return stored;
}

/** A chunk's next order states: the orders the ledger holds are updated, the others registered with theirs (and no longer fresh). */
async function writeOrderStates(
  books: SyncBooksTx,
  sourceId: string,
  states: ReadonlyMap<string, OrderLedgerState>,
  orders: { stored: ReadonlyMap<string, unknown>; fresh: Map<string, FreshOrder> },
  meta: { asOf: string; now: Date },
): Promise<void> {
  const found: FoundOrder[] = [];
  const updated: ObservedOrderState[] = [];
  for (const [orderId, next] of states) {
    const row = { orderId, state: next, lastObservedDate: meta.asOf };
    if (orders.stored.has(orderId)) updated.push(row);
    else {
      // Neither stored nor fresh: a drip-feed or subscription child discovered and polled in this close.
      found.push({ order: orders.fresh.has(orderId) ? freshRow(orderId, orders.fresh.get(orderId)!) : childOrder(orderId), next: row });
      orders.fresh.delete(orderId);
    }
  }
  await books.registerFoundOrders(sourceId, found, { firstSeenDate: meta.asOf, now: meta.now });
  await books.saveOrderStates(sourceId, updated, meta.now);
}
