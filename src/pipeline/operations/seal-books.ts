/**
 * What sealing months reads and keeps of the books (issue 42): the journal's lines with their chain hashes, in
 * the order the chain runs, and the closed periods. store/seal-books-store.ts implements it.
 */
export interface SealBooks {
  /** Every exact line with its entry's chained columns (see ChainLine), entries in append order, a chunk at a time. */
  chainLines(): AsyncIterable<ChainLine[]>;
  closedPeriods(): Promise<ClosedPeriod[]>;
}

/** One exact journal line and its entry's columns, as the chain reads them. */
export type ChainLine = [
  id: string,
  date: string,
  sourceId: string,
  description: string,
  /** The event ids as the JSON text the entry keeps. */
  eventIds: string,
  chainHash: string | null,
  account: string,
  currency: string,
  amountMicros: bigint,
  lineDescription: string | null,
];

/** A month closed by `ledgerline close`: the chain head its certificate names and the certificate's SHA-256. */
export interface ClosedPeriod {
  period: string;
  periodEnd: string;
  chainHead: string;
  certificateSha256: string;
  closedAt: string;
  closedBy: string;
}
