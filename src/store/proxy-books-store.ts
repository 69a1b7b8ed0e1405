import { addOutcomeHeld, firstCloseAfter, heldAddRequest, recordAddOutcome, recordAddRequest, unansweredAddRequests } from './add-requests.js';
import type { AddOutcomeRecord, AddRequestRecord } from '../ledger/index.js';
import { landRawReply, type RawReplyRow } from './landing.js';
import type { LedgerStore } from './ledger-store.js';
import { registerPlacedOrder, type NewOrderRow } from './panel-orders.js';

/**
 * The panel proxy's requests and outcomes as the pipeline's `ProxyBooks` port (pipeline/panel-proxy/proxy-books.ts)
 * asks for them. An arrow: it does no I/O itself, and the architecture test holds every `export function` taking
 * the store to be async.
 */
export const proxyBooksOver = (store: LedgerStore) => {
  const writes = {
    recordAddRequest: (request: AddRequestRecord) => recordAddRequest(store, request),
    heldAddRequest: (requestId: string) => heldAddRequest(store, requestId),
    addOutcomeHeld: (requestId: string) => addOutcomeHeld(store, requestId),
    // A reply through the proxy comes outside any run.
    landAddReply: (reply: Omit<RawReplyRow, 'action' | 'runId'>) => landRawReply(store, { ...reply, action: 'add', runId: null }),
    recordAddOutcome: (outcome: AddOutcomeRecord) => recordAddOutcome(store, outcome),
    registerPlacedOrder: (sourceId: string, order: NewOrderRow, seen: { firstSeenDate: string; now: string }) => registerPlacedOrder(store, sourceId, order, seen),
  };
  return {
    ...writes,
    unansweredAddRequests: (asOf: string) => unansweredAddRequests(store, asOf),
    firstCloseAfter: (sourceId: string, instant: string) => firstCloseAfter(store, sourceId, instant),
    unit: <T>(work: (tx: typeof writes) => Promise<T>) => store.unitOfWork(() => work(writes)),
  };
};
