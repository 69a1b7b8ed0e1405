/** Entry dates, inclusive; an open end means every entry on that side. */
export interface DeliveryWindow {
  from?: string | undefined;
  until?: string | undefined;
}

/** Where one entry's delivery to the destination stands. */
export type DeliveryState = 'pending' | 'sending' | 'posted' | 'refused' | 'skipped';

/** One entry's delivery to the destination, as the outbox holds it. */
export interface Delivery {
  entryId: string;
  state: DeliveryState;
  remoteId: string | null;
  requestKey: string | null;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
  /** The rate of an entry sent in a foreign currency, and where it came from. */
  exchangeRate: string | null;
  rateSource: string | null;
}

/** The rate an entry goes out at, when it is in a foreign currency. */
export interface SentRate {
  rate: string;
  source: string;
}

/** What the destination did with one entry it was sent. */
export type DeliveryOutcome = { status: 'posted'; remoteId: string } | { status: 'refused'; error: { message: string } };

/**
 * What a post needs of the books: one destination's outbox. Each write is a unit of work of its own and
 * commits before the post goes on, since a delivery is recorded before it is sent and its answer after:
 * a crash between them leaves 'sending', which the next post looks up before sending again. `at` is the
 * write's time, ISO 8601.
 */
export interface PostOutbox {
  /** Ids of the entries in the window still to deliver: none recorded yet, pending, or refused before. */
  undeliveredIds(window: DeliveryWindow): Promise<Set<string>>;
  /** Deliveries an earlier request may or may not have carried out ('sending'), whatever their date. */
  openDeliveries(): Promise<Delivery[]>;
  deliveries(entryIds: readonly string[]): Promise<Map<string, Delivery>>;
  /** Before a request leaves: its entries 'sending' under its key, one attempt more each, with their rates. */
  recordAttempt(entryIds: readonly string[], requestKey: string, rates: ReadonlyMap<string, SentRate>, at: string): Promise<void>;
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
}

/** What choosing the entries to post reads of the outbox (a dry run reads only this). */
export type PostSelectionReads = Pick<PostOutbox, 'undeliveredIds' | 'openDeliveries' | 'deliveries'>;
