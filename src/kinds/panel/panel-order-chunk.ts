import type { Finding, SourceEvent } from '../../rules/index.js';
import type { OrderLedgerState } from './rules/order-ledger-state.js';
import type { OrderObservation } from './rules/order-observation.js';
import type { PanelCloseDraft } from './rules/panel-close-draft.js';
import { childOrder, freshRow, type FreshOrder } from './panel-close-orders.js';
import type { FoundOrder, ObservedOrderState, SyncBooksTx } from '../../pipeline/sync/index.js';

/** A panel's day as its chunks are normalized and loaded: what it books into, drafted as it goes. */
export interface PanelOrdersDay {
  sourceId: string;
  asOf: string;
  /** Dropped from as each is registered, with its state once observed. */
  fresh: Map<string, FreshOrder>;
  bookedAt: Date;
  /** The close drafted as it goes: the journal of its events (a first import's 200,000 events are not held) and the late charges. */
  draft: PanelCloseDraft;
}

/** An order as the ledger held it before this close. */
interface StoredOrder {
  state: OrderLedgerState | undefined;
  quantity: bigint | null;
  createdAt: string | null;
}

/** The orders of a chunk as the ledger held them before it (read for the chunk alone). */
export type HeldOrders = ReadonlyMap<string, StoredOrder>;

/** A normalized chunk of orders: what its load writes of their states. */
export interface OrderStates {
  nextStates: ReadonlyMap<string, OrderLedgerState>;
  held: HeldOrders;
}

export async function heldOrders(
  books: SyncBooksTx,
  sourceId: string,
  observations: readonly OrderObservation[],
): Promise<HeldOrders> {
  const stored = new Map<string, StoredOrder>();
  for (const order of await books.ordersNamed(
    sourceId,
    observations.map((observation) => observation.orderId),
  )) {
    stored.set(order.orderId, { state: order.state, quantity: order.quantity, createdAt: order.createdAt });
  }
  return stored;
}

/**
 * A polled chunk of orders in the ledger's words (pure): their events, findings and next states, from their
 * states as the ledger held them; the events join the day's journal, appended with the balance step. A close
 * that stops before it leaves them to the next close (interruptedCloseEvents), whose orders start from the
 * states loaded with them, so nothing is booked twice.
 */
export function normalizeOrders(
  observations: readonly OrderObservation[],
  held: HeldOrders,
  day: PanelOrdersDay,
): { events: SourceEvent[]; findings: Finding[]; progress: OrderStates } {
  const { fresh, draft } = day;
  const chunk = draft.orders(observations, {
    stateOf: (orderId) => held.get(orderId)?.state,
    quantityOf: (orderId) => held.get(orderId)?.quantity ?? fresh.get(orderId)?.quantity ?? undefined,
    placedOn: (orderId) => (held.get(orderId)?.createdAt ?? fresh.get(orderId)?.createdAt ?? undefined)?.slice(0, 10),
  });
  draft.journalize(chunk.events);
  return { events: chunk.events, findings: chunk.findings, progress: { nextStates: chunk.nextStates, held } };
}

/** A chunk's next order states: the orders the ledger holds are updated, the others registered with theirs (and no longer fresh). */
export async function loadOrderStates(tx: SyncBooksTx, chunk: OrderStates, day: PanelOrdersDay): Promise<void> {
  const found: FoundOrder[] = [];
  const updated: ObservedOrderState[] = [];
  for (const [orderId, next] of chunk.nextStates) {
    const row = { orderId, state: next, lastObservedDate: day.asOf };
    if (chunk.held.has(orderId)) updated.push(row);
    else {
      // Neither stored nor fresh: a drip-feed or subscription child discovered and polled in this close.
      found.push({
        order: day.fresh.has(orderId) ? freshRow(orderId, day.fresh.get(orderId)!) : childOrder(orderId),
        next: row,
      });
      day.fresh.delete(orderId);
    }
  }
  await tx.registerFoundOrders(day.sourceId, found, { firstSeenDate: day.asOf, now: day.bookedAt });
  await tx.saveOrderStates(day.sourceId, updated, day.bookedAt);
}
