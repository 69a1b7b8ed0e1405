import type { FiledPeriodLock } from '../errors.js';
import type { JournalEntry, LineTaxColumns, RenderedLine, RunningTotalMovement } from '../rules/index.js';

/**
 * What the journal needs of the books (issue 39: the port is the ledger's, the store implements it,
 * store/journal-books-store.ts): the entries and lines as they are booked and read back, in book order,
 * and the running totals the cents are rendered from. `unit` runs an append as one unit of work, through the
 * `tx` it hands `work` (these books bound to the unit's transaction); on a `tx`, `unit` joins its unit and hands
 * back that same `tx`.
 */
export interface JournalBooks {
  unit<T>(work: (tx: JournalBooks) => Promise<T>): Promise<T>;
  /** A unit of work that holds the ledger's write lock from before its first read until it commits. */
  lockedUnit<T>(work: (tx: JournalBooks) => Promise<T>): Promise<T>;
  /** The content hash each of these entries was booked with, by id, for those already booked. */
  bookedEntryHashes(entryIds: readonly string[]): Promise<Map<string, string>>;
  /** The chain head to append after and the last closed period; on PostgreSQL it also holds the chain until the unit commits. */
  journalSeal(): Promise<JournalSeal>;
  insertEntries(entries: readonly RenderedEntryToBook[], meta: { runId: string | null; now: string }): Promise<void>;
  /** A running total as held: its exact micro-units and the cents its lines were rendered to. */
  runningTotal(sourceId: string, account: string, currency: string): Promise<{ exactMicros: bigint; cents: bigint }>;
  advanceRunningTotals(movements: Iterable<RunningTotalMovement>): Promise<void>;
  hasEntry(entryId: string): Promise<boolean>;
  accountNets(filter: BalanceFilter): Promise<{ account: string; currency: string; netMicros: bigint }[]>;
  debitCreditTotals(
    asOf?: string,
  ): Promise<{ account: string; currency: string; debitMicros: bigint; creditMicros: bigint }[]>;
  renderedLineRows(window: EntryWindow): AsyncIterable<RenderedLineRow>;
  bookLineChunks(window: EntryWindow, rowsPerChunk: number): AsyncIterable<BookLineRow[]>;
  journalLineRows(window: EntryWindow): AsyncIterable<JournalLineRow>;
  close(): Promise<void>;
}

export interface EntryToBook {
  entry: JournalEntry;
  contentHash: string;
}

/**
 * What an append needs of the seal (issue 42): the chain hash of the last entry appended, the last closed period,
 * and the filed tax returns' periods (issue 70), oldest first.
 */
export interface JournalSeal {
  head: string;
  lastClosed: { period: string; periodEnd: string; certificateSha256: string } | undefined;
  filed?: readonly FiledPeriodLock[];
}

/**
 * An entry to book with the cents its lines render to, in the order of its lines, and the rounding lines after them;
 * its event ids as the JSON text kept, and its link in the chain (ledger/entry-chain.ts).
 */
export interface RenderedEntryToBook extends EntryToBook {
  eventIdsJson: string;
  chainHash: string;
  lineCents: readonly bigint[];
  roundingLines: readonly RenderedLine[];
}

export interface BalanceFilter {
  asOf?: string | undefined;
  sourceId?: string | undefined;
}

export interface EntryWindow {
  from?: string | undefined;
  to?: string | undefined;
  sourceId?: string | undefined;
}

/**
 * One rendered line of an entry as `renderedLineRows` gives it, its columns in this order; the line's
 * columns are null for an entry with no line (every line rounded to 0.00).
 */
export type RenderedLineRow = [
  legacyPosition: bigint | null,
  id: string,
  date: string,
  sourceId: string,
  description: string,
  eventIds: string,
  account: string | null,
  currency: string | null,
  cents: bigint | null,
  lineDescription: string | null,
  lineNo?: bigint | number,
  ...tax: LineTaxColumns,
];

/** One rendered line with its entry's columns, as bookLineChunks gives it: the generic export's row. */
export type BookLineRow = [
  id: string,
  date: string,
  sourceId: string,
  description: string,
  eventIds: string,
  account: string,
  currency: string,
  cents: bigint,
  lineDescription: string | null,
  lineNo?: bigint | number,
];

/** One exact journal line with its entry's columns, as journalLineRows streams them. */
export interface JournalLineRow {
  id: string;
  date: string;
  source_id: string;
  description: string;
  account: string;
  currency: string;
  amount_micros: bigint;
  /** The line's tax treatment as booked, as LineTaxColumns names them (none from a reader that keeps no treatment). */
  taxed?: bigint | number | null;
  tax_flow?: string | null;
  tax_reverses?: string | null;
  tax_code?: string | null;
  tax_name?: string | null;
  tax_rate?: string | null;
  tax_side?: string | null;
  tax_reverse_charge?: bigint | number | null;
  tax_base_micros?: bigint | number | null;
}
