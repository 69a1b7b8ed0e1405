import type { ChainLine, ClosedPeriod } from '../../ledger/index.js';

/**
 * What sealing months reads and keeps of the books (issue 42): the journal's lines with their chain hashes, in
 * the order the chain runs, the closed periods, and what a close reads and keeps. store/seal-books-store.ts implements it.
 */
export interface SealBooks {
  /** Every exact line with its entry's chained columns (see ChainLine), entries in append order, a chunk at a time. */
  chainLines(): AsyncIterable<ChainLine[]>;
  closedPeriods(): Promise<ClosedPeriod[]>;
  /** The delivery to `destination` of each entry dated from `from` to `to` that has one: its state, the destination's journal id and the rate it went at. */
  deliveriesBetween(destination: string, from: string, to: string): Promise<Map<string, { state: string; remoteId: string | null; exchangeRate: string | null; rateSource: string | null }>>;
  /** Keeps the close, unless an entry was appended since the chain head the certificate was made on: false then, nothing kept. */
  recordClose(close: ClosedPeriod, headWhenCertified: string): Promise<boolean>;
}
