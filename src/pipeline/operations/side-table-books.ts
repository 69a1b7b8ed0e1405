import type { SealedTableName, SealHead } from '../../ledger/index.js';

/**
 * What the proof of the side tables reads (issue 52, side-tables-proof.ts): the seals in the order written, each
 * sealed table's rows, the raw replies with their bodies, the entry-event links against the chained entries, and
 * the entries around a break of the chain. store/side-tables-store.ts implements it.
 */
export interface SideTableBooks {
  /** Each seal as [position, table, row key, digest, link], in position order, a chunk at a time. */
  sealChunks(): AsyncIterable<unknown[][]>;
  /** Each row of `table` as its key columns then its sealed columns (ledger/row-seals.ts), in key order. */
  rowChunks(table: SealedTableName): AsyncIterable<unknown[][]>;
  /** Each raw reply as [id, source, as of, content hash, body], in id order. */
  replyChunks(): AsyncIterable<unknown[][]>;
  /** Each event whose entry_events link differs from the first chained entry listing it (null: no link, or listed by none). */
  eventLinkProblems(): Promise<{ eventId: string; linkedTo: string | null; listedBy: string | null }[]>;
  /** The entry's seq and the entry appended before it. */
  entriesAround(entryId: string): Promise<{ seq: bigint; before: { id: string; seq: bigint } | undefined } | undefined>;
  /** Each adjusting entry's record or approval whose entry is not in the journal. */
  recordsWithoutEntry(): Promise<{ table: 'adjustments' | 'adjustment_approvals'; entryId: string }[]>;
  sealHead(): Promise<SealHead>;
}
