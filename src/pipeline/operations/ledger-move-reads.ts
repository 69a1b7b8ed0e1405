/**
 * One journal line with its entry's columns, streamed by entry id then line (the same order on both engines).
 * A tuple, and the entry's event ids as the JSON text it was booked with: a move streams millions of lines,
 * and the proof parses that text once per entry.
 */
export type EntryLine = readonly [
  id: string,
  date: string,
  sourceId: string,
  description: string,
  eventIdsJson: string,
  contentHash: string,
  account: string,
  currency: string,
  amountMicros: bigint,
  lineDescription: string | null,
];

/** What `migrate --to` reads of each side of a copy to prove it (move-ledger.ts). */
export interface LedgerMoveReads {
  /** Rows in every ledger table, in the order the copy takes them. */
  tableCounts(): Promise<{ table: string; rows: bigint }[]>;
  /** Debits and credits per account and currency over the whole ledger, micro-units. */
  debitsAndCredits(): Promise<{ account: string; currency: string; debitMicros: bigint; creditMicros: bigint }[]>;
  entryLines(): AsyncIterable<EntryLine>;
}
