import {
  addOutcomeHeld,
  firstCloseAfter,
  heldAddRequest,
  recordAddOutcome,
  recordAddRequest,
  unansweredAddRequests,
} from './add-requests.js';
import type { AddOutcomeRecord, AddRequestRecord } from '../../../ledger/index.js';
import { landRawReply, type RawReplyRow } from '../../../pipeline/landing/index.js';
import type { StoreHandle } from '../../../store/index.js';
import type { ProxyBooks, ProxyWrites } from './proxy-books.js';
import { registerPlacedOrder, type NewOrderRow } from './panel-orders.js';

/** The proxy's writes over `store`, or over a unit of work's `tx`. */
const proxyWritesOver = (store: StoreHandle) => ({
  recordAddRequest: (request: AddRequestRecord) => store.unitOfWork((tx) => recordAddRequest(tx, request)),
  heldAddRequest: (requestId: string) => heldAddRequest(store, requestId),
  addOutcomeHeld: (requestId: string) => addOutcomeHeld(store, requestId),
  // A reply through the proxy comes outside any run.
  landAddReply: (reply: Omit<RawReplyRow, 'action' | 'runId'>) =>
    landRawReply(store, { ...reply, action: 'add', runId: null }),
  recordAddOutcome: (outcome: AddOutcomeRecord) => store.unitOfWork((tx) => recordAddOutcome(tx, outcome)),
  registerPlacedOrder: (sourceId: string, order: NewOrderRow, seen: { firstSeenDate: string; now: string }) =>
    store.unitOfWork((tx) => registerPlacedOrder(tx, sourceId, order, seen)),
});

/**
 * The panel proxy's requests and outcomes as the pipeline's `ProxyBooks` port (pipeline/landing/proxy-books.ts)
 * asks for them (`books.of(proxyBooks)`); each write is a unit of its own, and `unit` hands its work the writes
 * bound to the unit's transaction. An arrow: it does no I/O itself, and the architecture test holds every
 * `export function` taking the store to be async.
 */
export const proxyBooks = (store: StoreHandle) => {
  return {
    ...proxyWritesOver(store),
    unansweredAddRequests: (asOf: string) => unansweredAddRequests(store, asOf),
    firstCloseAfter: (sourceId: string, instant: string) => firstCloseAfter(store, sourceId, instant),
    unit: <T>(work: (tx: ProxyWrites) => Promise<T>): Promise<T> => store.unitOfWork((tx) => work(proxyWritesOver(tx))),
  } satisfies ProxyBooks;
};
