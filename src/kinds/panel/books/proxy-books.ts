import type {
  AddOutcomeRecord,
  AddRequestRecord,
  CloseAfterRequest,
  UnansweredAddRequest,
} from '../../../ledger/index.js';
import type { NewOrderRow } from './panel-orders.js';

/** The panel's reply to an add, as received (the key already taken out): landed outside any run. */
interface AddReply {
  sourceId: string;
  /** JSON text of what was asked. */
  request: string;
  asOf: string;
  fetchedAt: string;
  httpStatus: number;
  body: string;
  contentHash: string;
}

/** The writes of the proxy's ledger side, each one alone or together in a unit. */
export interface ProxyWrites {
  /** Keeps a request; false when it was held already. */
  recordAddRequest(request: AddRequestRecord): Promise<boolean>;
  heldAddRequest(requestId: string): Promise<AddRequestRecord | undefined>;
  addOutcomeHeld(requestId: string): Promise<boolean>;
  /** Lands the reply; returns the id its outcome points at. */
  landAddReply(reply: AddReply): Promise<bigint>;
  /** Keeps what came of a request; false when its outcome was held already. */
  recordAddOutcome(outcome: AddOutcomeRecord): Promise<boolean>;
  /** An order the proxy saw placed, registered as an orders file would name it so that the next close polls it. */
  registerPlacedOrder(
    sourceId: string,
    order: NewOrderRow,
    seen: { firstSeenDate: string; now: string },
  ): Promise<'registered' | 'already-known'>;
}

/** What `reconcile` reads of the proxy's requests. */
export interface UnansweredAddReads {
  /** Every request without a known outcome dated on or before `asOf` in the books' time zone, oldest first. */
  unansweredAddRequests(asOf: string): Promise<UnansweredAddRequest[]>;
  /** The first close of the source whose balance was read after `instant` (ISO UTC). */
  firstCloseAfter(sourceId: string, instant: string): Promise<CloseAfterRequest | undefined>;
}

/** The panel proxy's ledger side: the proxy, the spool's import and reconcile's unanswered adds. */
export interface ProxyBooks extends ProxyWrites, UnansweredAddReads {
  /** Runs `work` in one unit of work: all of its writes are kept, or none. */
  unit<T>(work: (tx: ProxyWrites) => Promise<T>): Promise<T>;
}
