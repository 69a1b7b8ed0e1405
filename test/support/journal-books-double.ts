import { LedgerIntegrityError } from '../../src/errors.js';
import {
  CHAIN_GENESIS,
  type BookLineRow,
  type EntryWindow,
  type JournalBooks,
  type JournalLineRow,
  type JournalSeal,
  type RenderedEntryToBook,
  type RenderedLineRow,
} from '../../src/ledger/index.js';
import type { BookedTaxField, RunningTotalMovement } from '../../src/rules/index.js';
import type { TreatedLine } from '../../src/pipeline/backfill/books/backfill-books.js';
import { boundTo, clonedPart, InMemoryUnits, type OpenUnit } from './in-memory-units.js';

/** An entry as the double's journal keeps it: its exact lines with their cents, then its rounding lines. */
export interface KeptEntry {
  id: string;
  date: string;
  sourceId: string;
  description: string;
  eventIdsJson: string;
  eventIds: readonly string[];
  contentHash: string;
  chainHash: string;
  runId: string | null;
  lines: {
    lineNo: number;
    account: string;
    currency: string;
    amountMicros: bigint;
    description: string | null;
    cents: bigint;
    /** Its tax treatment as booked (journal_line_taxes); none on an entry booked without the chart's tax. */
    tax?: BookedTaxField | undefined;
  }[];
  rounding: { lineNo: number; account: string; currency: string; cents: bigint; description: string | null }[];
}

interface JournalHeld {
  entries: Map<string, KeptEntry>;
  /** Which entry holds each event (the store's entry_events). */
  links: Map<string, string>;
  totals: Map<string, { exactMicros: bigint; cents: bigint }>;
  head: string;
  lastClosed: JournalSeal['lastClosed'];
}

/** The double's journal: the port, and what a test or another double reads beneath it. */
export interface JournalBooksDouble extends JournalBooks {
  readonly units: InMemoryUnits;
  /** The port bound to a unit in hand (a unit on it joins that unit): what a double's unit hands as its journal. */
  txIn(unit: OpenUnit): JournalBooks;
  /** Entries in the order they were booked. */
  entries(): KeptEntry[];
  /** Whether a booked entry holds this event. */
  linksEvent(eventId: string): boolean;
  /** The backfill's reads of the journal (BackfillBooksReads): a day's net per account and currency, ids by prefix. */
  dayNetByAccount(sourceId: string, date: string): Promise<{ account: string; currency: string; netMicros: bigint }[]>;
  countEntriesWithIdPrefix(sourceId: string, date: string, idPrefix: string): Promise<number>;
  dayTreatedLines(sourceId: string, date: string): Promise<TreatedLine[]>;
}

/**
 * The journal's port (JournalBooks) in memory, for the unit tier (issue 53 item 5): entries, lines, cents, rounding
 * lines, running totals and the chain head, read back in book order (date, source, id). An entry that does not
 * balance in a currency, or has fewer than two lines, is refused as PostgreSQL refuses it (LedgerIntegrityError) and
 * its unit keeps nothing. Units share `units` with the doubles built over this journal (sync-books-double.ts), so a
 * unit that throws puts back their rows and the journal's together. Held to the store by
 * test/pipeline/sync/books/sync-books-contract.test.ts (through the unit's `ledger`).
 */
export function journalBooksInMemory(units = new InMemoryUnits()): JournalBooksDouble {
  const held: JournalHeld = {
    entries: new Map(),
    links: new Map(),
    totals: new Map(),
    head: CHAIN_GENESIS,
    lastClosed: undefined,
  };
  units.join(clonedPart(held));
  const reads = journalReads(held);
  const txIn = (unit: OpenUnit): JournalBooks => {
    const tx: JournalBooks = boundTo(unit, {
      ...reads,
      unit: (work) => work(tx),
      lockedUnit: (work) => work(tx),
      journalSeal: async () => ({ head: held.head, lastClosed: held.lastClosed && { ...held.lastClosed } }),
      insertEntries: async (entries, meta) => insertEntries(held, entries, meta),
      advanceRunningTotals: async (movements) => advanceTotals(held, movements),
      close: async () => undefined,
    } satisfies JournalBooks);
    return tx;
  };
  return {
    ...reads,
    units,
    txIn,
    unit: (work) => units.run((unit) => work(txIn(unit))),
    lockedUnit: (work) => units.run((unit) => work(txIn(unit))),
    journalSeal: () => units.run((unit) => txIn(unit).journalSeal()),
    insertEntries: (entries, meta) => units.run((unit) => txIn(unit).insertEntries(entries, meta)),
    advanceRunningTotals: (movements) => units.run((unit) => txIn(unit).advanceRunningTotals(movements)),
    close: async () => undefined,
    entries: () => [...held.entries.values()],
    linksEvent: (eventId) => held.links.has(eventId),
    dayNetByAccount: async (sourceId, date) =>
      byAccount(held, { sourceId, from: date, asOf: date }).map(({ account, currency, debitMicros, creditMicros }) => ({
        account,
        currency,
        netMicros: debitMicros - creditMicros,
      })),
    dayTreatedLines: async (sourceId, date) =>
      [...held.entries.values()]
        .filter((entry) => entry.sourceId === sourceId && entry.date === date)
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .flatMap((entry) =>
          entry.lines.map(({ account, currency, amountMicros, tax }) =>
            tax === undefined ? { account, currency, amountMicros } : { account, currency, amountMicros, tax },
          ),
        ),
    countEntriesWithIdPrefix: async (sourceId, date, idPrefix) =>
      [...held.entries.values()].filter(
        (entry) => entry.sourceId === sourceId && entry.date === date && entry.id.startsWith(idPrefix),
      ).length,
  };
}

const totalKey = (sourceId: string, account: string, currency: string) => JSON.stringify([sourceId, account, currency]);

function journalReads(held: JournalHeld) {
  return {
    bookedEntryHashes: async (entryIds: readonly string[]) => {
      const hashes = new Map<string, string>();
      for (const id of entryIds) {
        const kept = held.entries.get(id);
        if (kept !== undefined) hashes.set(id, kept.contentHash);
      }
      return hashes;
    },
    runningTotal: async (sourceId: string, account: string, currency: string) =>
      held.totals.get(totalKey(sourceId, account, currency)) ?? { exactMicros: 0n, cents: 0n },
    hasEntry: async (entryId: string) => held.entries.has(entryId),
    accountNets: async (filter: { asOf?: string | undefined; sourceId?: string | undefined }) =>
      byAccount(held, filter).map(({ account, currency, debitMicros, creditMicros }) => ({
        account,
        currency,
        netMicros: debitMicros - creditMicros,
      })),
    debitCreditTotals: async (asOf?: string) => byAccount(held, { asOf }),
    renderedLineRows: (window: EntryWindow) => rows(renderedRows(held, window, true) as RenderedLineRow[]),
    async *bookLineChunks(window: EntryWindow, rowsPerChunk: number): AsyncIterable<BookLineRow[]> {
      const all = renderedRows(held, window, false) as BookLineRow[];
      for (let start = 0; start < all.length; start += rowsPerChunk) yield all.slice(start, start + rowsPerChunk);
    },
    journalLineRows: (window: EntryWindow) =>
      rows(
        inBookOrder(held, window).flatMap((entry) =>
          entry.lines.map((line): JournalLineRow => ({
            id: entry.id,
            date: entry.date,
            source_id: entry.sourceId,
            description: entry.description,
            account: line.account,
            currency: line.currency,
            amount_micros: line.amountMicros,
          })),
        ),
      ),
  };
}

async function* rows<Row>(all: readonly Row[]): AsyncIterable<Row> {
  yield* all;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Entries within the window in book order: date, source, id (never the order they were booked in). */
function inBookOrder(held: JournalHeld, window: EntryWindow): KeptEntry[] {
  return [...held.entries.values()]
    .filter(
      (entry) =>
        (!window.from || entry.date >= window.from) &&
        (!window.to || entry.date <= window.to) &&
        (!window.sourceId || entry.sourceId === window.sourceId),
    )
    .sort((a, b) => compare(a.date, b.date) || compare(a.sourceId, b.sourceId) || compare(a.id, b.id));
}

/** Each rendered line (a line's non-zero cents, then the rounding lines); with `empty`, a row of nulls for an entry with none. */
function renderedRows(held: JournalHeld, window: EntryWindow, empty: boolean): unknown[][] {
  const all: unknown[][] = [];
  for (const entry of inBookOrder(held, window)) {
    const head = [entry.id, entry.date, entry.sourceId, entry.description, entry.eventIdsJson];
    const lines = [
      ...entry.lines.filter((line) => line.cents !== 0n),
      ...entry.rounding.map((line) => ({ ...line, amountMicros: 0n })),
    ];
    const prefix = empty ? [null, ...head] : head;
    for (const line of lines)
      all.push([...prefix, line.account, line.currency, line.cents, line.description, BigInt(line.lineNo)]);
    if (empty && lines.length === 0) all.push([...prefix, null, null, null, null, 0n]);
  }
  return all;
}

/** Debits and credits of each account and currency over the entries dated from `from` to `asOf` (of one source). */
function byAccount(
  held: JournalHeld,
  filter: { from?: string | undefined; asOf?: string | undefined; sourceId?: string | undefined },
) {
  const totals = new Map<string, { account: string; currency: string; debitMicros: bigint; creditMicros: bigint }>();
  for (const entry of held.entries.values()) {
    if (filter.from && entry.date < filter.from) continue;
    if ((filter.asOf && entry.date > filter.asOf) || (filter.sourceId && entry.sourceId !== filter.sourceId)) continue;
    for (const line of entry.lines) {
      const key = JSON.stringify([line.account, line.currency]);
      const total = totals.get(key) ?? {
        account: line.account,
        currency: line.currency,
        debitMicros: 0n,
        creditMicros: 0n,
      };
      if (line.amountMicros > 0n) total.debitMicros += line.amountMicros;
      else total.creditMicros -= line.amountMicros;
      totals.set(key, total);
    }
  }
  return [...totals.values()].sort((a, b) => compare(a.account, b.account) || compare(a.currency, b.currency));
}

/** The database's refusals, in its words: every line non-zero, at least two lines, each currency summing to 0. */
function refusal(entry: RenderedEntryToBook['entry']): string | undefined {
  if (entry.lines.some((line) => line.amountMicros === 0n)) return 'a journal line of 0 is refused';
  if (entry.lines.length < 2) return 'journal entry has fewer than two lines';
  const nets = new Map<string, bigint>();
  for (const line of entry.lines) nets.set(line.currency, (nets.get(line.currency) ?? 0n) + line.amountMicros);
  if ([...nets.values()].some((net) => net !== 0n))
    return 'journal entry does not balance: debits and credits differ in a currency';
  return undefined;
}

function insertEntries(
  held: JournalHeld,
  entries: readonly RenderedEntryToBook[],
  meta: { runId: string | null; now: string },
): void {
  for (const { entry, contentHash, eventIdsJson, chainHash, lineCents, roundingLines } of entries) {
    const refused = refusal(entry);
    if (refused !== undefined || held.entries.has(entry.id))
      throw new LedgerIntegrityError(
        `the ledger refused the write: ${refused ?? `entry ${entry.id} exists`}; entry ${entry.id}`,
      );
    held.entries.set(entry.id, {
      id: entry.id,
      date: entry.date,
      sourceId: entry.sourceId,
      description: entry.description,
      eventIdsJson,
      eventIds: [...entry.eventIds],
      contentHash,
      chainHash,
      runId: meta.runId,
      lines: entry.lines.map((line, index) => ({
        lineNo: index + 1,
        account: line.account,
        currency: line.currency,
        amountMicros: line.amountMicros,
        description: line.description ?? null,
        cents: lineCents[index]!,
        ...(line.tax === undefined ? {} : { tax: line.tax }),
      })),
      rounding: roundingLines.map((line, index) => ({
        lineNo: entry.lines.length + index + 1,
        account: line.account,
        currency: line.currency,
        cents: line.cents,
        description: line.description ?? null,
      })),
    });
    for (const eventId of entry.eventIds) held.links.set(eventId, entry.id);
    held.head = chainHash;
  }
}

function advanceTotals(held: JournalHeld, movements: Iterable<RunningTotalMovement>): void {
  for (const movement of movements) {
    const key = totalKey(movement.sourceId, movement.account, movement.currency);
    const total = held.totals.get(key) ?? { exactMicros: 0n, cents: 0n };
    held.totals.set(key, {
      exactMicros: total.exactMicros + movement.exactMicros,
      cents: total.cents + movement.debitCents - movement.creditCents,
    });
  }
}
