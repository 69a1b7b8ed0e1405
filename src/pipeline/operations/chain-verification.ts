import { CHAIN_GENESIS, chainLink, type ChainLine } from '../../ledger/index.js';
import type { SealBooks } from './seal-books.js';

/** An entry's place in the chain: its id, date and source, its position (1 for the first appended) and its chain hash. */
export interface ChainPosition {
  entryId: string;
  date: string;
  sourceId: string;
  position: number;
  hash: string;
}

/** The first entry whose kept chain hash is not the one its bytes and its predecessor's give. */
export interface ChainBreak extends ChainPosition {
  /** The hash the entry row keeps (null: it has none). */
  kept: string | null;
}

export interface ChainVerification {
  /** How many entries the chain holds. */
  entries: number;
  /** The chain hash of the last entry appended, recomputed (CHAIN_GENESIS on an empty journal). */
  head: string;
  broken: ChainBreak | undefined;
  /** For each date asked for: the last entry appended dated on or before it, as recomputed (undefined when there is none). */
  headsThrough: Map<string, ChainPosition | undefined>;
}

/**
 * Recomputes the journal's hash chain from every entry's bytes (ledger/entry-chain.ts) and compares each link with
 * the one kept: one changed byte in an entry's date, source, description, events or lines breaks that entry's
 * link, and it is named (the chain goes on from the recomputed hashes, so every later link breaks too).
 * Example: 3 entries, the 2nd's amount changed from 1.000000 to 1.000001 → broken at position 2, its id named.
 */
export async function verifyChain(books: Pick<SealBooks, 'chainLines'>, throughDates: readonly string[] = []): Promise<ChainVerification> {
  const result: ChainVerification = { entries: 0, head: CHAIN_GENESIS, broken: undefined, headsThrough: new Map(throughDates.map((date) => [date, undefined])) };
  let entryLines: ChainLine[] = [];
  const finish = () => {
    if (entryLines.length > 0) linkEntry(result, entryLines);
    entryLines = [];
  };
  for await (const chunk of books.chainLines()) {
    for (const line of chunk) {
      if (entryLines.length > 0 && entryLines[0]![0] !== line[0]) finish();
      entryLines.push(line);
    }
  }
  finish();
  return result;
}

/** Links one entry (its lines, in order) onto the chain recomputed so far. */
function linkEntry(result: ChainVerification, lines: readonly ChainLine[]): void {
  const [id, date, sourceId, description, eventIdsJson, kept] = lines[0]!;
  const entryLines = lines.map(([, , , , , , account, currency, amountMicros, lineDescription]) => ({ account, currency, amountMicros, description: lineDescription }));
  result.head = chainLink(result.head, { id, date, sourceId, description, eventIdsJson, lines: entryLines });
  result.entries += 1;
  const position: ChainPosition = { entryId: id, date, sourceId, position: result.entries, hash: result.head };
  if (result.broken === undefined && kept !== result.head) result.broken = { ...position, kept };
  for (const through of result.headsThrough.keys()) if (date <= through) result.headsThrough.set(through, position);
}
