import type { Delivery, DeliveryOutcome, DeliveryState, DeliveryWindow, SentRate } from '../../ledger/index.js';

export type { Delivery, DeliveryOutcome, DeliveryState, DeliveryWindow, SentRate };

/** What a post reads of one destination's outbox: on the port itself and in its unit alike. */
export interface PostOutboxReads {
  /** Ids of the entries in the window still to deliver: none recorded yet, pending, or refused before. */
  undeliveredIds(window: DeliveryWindow): Promise<Set<string>>;
  /** Deliveries an earlier request may or may not have carried out ('sending'), whatever their date. */
  openDeliveries(): Promise<Delivery[]>;
  deliveries(entryIds: readonly string[]): Promise<Map<string, Delivery>>;
  /** Adjusting entries waiting for a second person's approval (`adjust approve ID`): not sent until approved. */
  awaitingApproval?(): Promise<ReadonlySet<string>>;
  /** Each entry's chain hash as the ledger keeps it, by entry id: what its journal carries as the ledger's witness. */
  chainHashes(entryIds: readonly string[]): Promise<Map<string, string>>;
  /** The calls the destination's organisation answered on a UTC day, as counted and as the vendor last said. */
  callsUsed?(organisation: string, day: string): Promise<CallsUsed | undefined>;
}

/** The outbox's writes, only in a unit of work (`PostOutbox.unit` hands them). `at` is the write's time, ISO 8601. */
export interface PostOutboxTx extends PostOutboxReads {
  /** Before a request leaves: its entries 'sending' under its key, one attempt more each, with their rates. */
  recordAttempt(
    entryIds: readonly string[],
    requestKey: string,
    rates: ReadonlyMap<string, SentRate>,
    at: string,
  ): Promise<void>;
  /** After a request: each entry's definite outcome. */
  recordOutcomes(outcomes: ReadonlyMap<string, DeliveryOutcome>, at: string): Promise<void>;
  /** Entries a look-up found at the destination, by remote id: posted. */
  recordFound(found: ReadonlyMap<string, string>, at: string): Promise<void>;
  /** Held back unsent (a locked period, an entry the destination cannot take); later posts try again. */
  recordRefusals(refusals: readonly { entryId: string; reason: string }[], at: string): Promise<void>;
  /** Entries with nothing to deliver (every line rounds to 0.00). */
  recordSkipped(entryIds: readonly string[], at: string): Promise<void>;
  /** A request certainly not carried out: its entries back as they were before recordAttempt. */
  restore(entryIds: readonly string[], before: ReadonlyMap<string, Delivery>): Promise<void>;
  /** Adds a run's calls to the day's count, keeping the vendor's remaining-call figure when it sent one. */
  recordCalls?(organisation: string, day: string, used: CallsSpent, at: string): Promise<void>;
}

/**
 * What a post needs of the books: one destination's outbox. Reads on the port; the writes only on the `tx` its
 * unit hands (issue 53 item 4). Each write is a unit of its own and commits before the post goes on, since a
 * delivery is recorded before it is sent and its answer after: a crash between them leaves 'sending', which the
 * next post looks up before sending again.
 */
export interface PostOutbox extends PostOutboxReads {
  unit<T>(work: (tx: PostOutboxTx) => Promise<T>): Promise<T>;
}

/** One organisation's calls on one UTC day: counted by ledgerline, and the remaining calls the vendor last reported. */
export interface CallsUsed {
  callsUsed: number;
  vendorRemaining: number | undefined;
}

/** What one run spent: its calls, and the vendor's last remaining-call figure (X-DayLimit-Remaining) if sent. */
interface CallsSpent {
  calls: number;
  vendorRemaining: number | undefined;
}

/** What choosing the entries to post reads of the outbox (a dry run reads only this). */
export type PostSelectionReads = Pick<
  PostOutboxReads,
  'undeliveredIds' | 'openDeliveries' | 'deliveries' | 'awaitingApproval' | 'callsUsed'
>;
