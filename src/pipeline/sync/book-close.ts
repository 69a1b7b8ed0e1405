import { UsageError } from '../../errors.js';
import type { Ledger } from '../../ledger/index.js';
import type { JournalEntry } from '../../rules/index.js';
import { JournalDraft, type EventRules, type Finding, type Granularity, type SourceEvent } from '../../rules/index.js';
import type { SyncBooks, SyncBooksTx } from './sync-books.js';

/** What a booking needs from the run around it (a CloseContext has all of it). */
export interface BookingRun {
  ledger: Ledger;
  books: SyncBooks;
  chart: EventRules;
  granularity: Granularity;
  runId: string;
  now: () => Date;
}

/** The run's settings with the verbs of the unit of work a booking writes in. */
export type BookingUnit = Omit<BookingRun, 'books'> & { books: SyncBooksTx };

export interface CloseBooking {
  sourceId: string;
  events: readonly SourceEvent[];
  findings: readonly Finding[];
  /** The source's own progress (order states, counters, closes), written in the same unit of work. */
  writeProgress: (tx: SyncBooksTx) => Promise<void>;
}

export interface BookedClose {
  /** Events new to the ledger (a replayed event id is skipped). */
  events: SourceEvent[];
  entries: JournalEntry[];
  findings: Finding[];
}

/**
 * Commits one source's close as a single unit of work: its new events, the
 * journal entries they make, its findings and its progress. A crash before
 * the commit leaves the ledger as it was; a crash after leaves it complete;
 * either way the next run converges on the same books.
 */
export async function bookClose(run: BookingRun, booking: CloseBooking): Promise<BookedClose> {
  const now = run.now();
  return run.books.unit(async (tx) => {
    const unit = { ...run, books: tx, ledger: tx.ledger };
    const events = await storeNewEvents(unit, booking.events, now);
    const findings = await storeNewFindings(unit, booking.findings, now);
    await booking.writeProgress(tx);
    // The journal last: on PostgreSQL the append holds the ledger's chain lock until the commit, and every
    // other close's append waits for it (4 lanes waited 140 ms an append with the progress written after it).
    const entries = await appendJournal(unit, booking.sourceId, events, now);
    return { events, entries, findings };
  });
}

/*
 * The three writes of bookClose, for a close that books in chunks inside its
 * own unit of work (a panel's first import): events and findings chunk by
 * chunk, the journal once at the end, since a daily entry holds the whole day.
 */

/** Stores the events the ledger does not hold yet and returns those (a replayed event id is skipped). */
export function storeNewEvents(run: BookingUnit, events: readonly SourceEvent[], now: Date): Promise<SourceEvent[]> {
  return run.books.recordNewEvents(events, { runId: run.runId, now });
}

/** Journalizes events new to the ledger and appends the entries, numbered after the day's entries already booked. */
export async function appendJournal(
  run: BookingUnit,
  sourceId: string,
  events: readonly SourceEvent[],
  now: Date,
): Promise<JournalEntry[]> {
  const draft = new JournalDraft(run.chart, run.granularity);
  for (const event of events) draft.add(event);
  return appendDraft(run, sourceId, draft, now);
}

/**
 * Appends the entries of a journal drafted as a close booked its events (the events are new to the ledger);
 * `check` sees them first and may stop the unit of work before anything is appended.
 */
export async function appendDraft(
  run: BookingUnit,
  sourceId: string,
  draft: JournalDraft,
  now: Date,
  check?: (entries: readonly JournalEntry[]) => void,
): Promise<JournalEntry[]> {
  const existingEntryIds = await run.books.entryIdsOn(sourceId, draft.dates());
  const entries = draft.entries(existingEntryIds);
  check?.(entries);
  await run.ledger.appendEntries(entries, { runId: run.runId, now });
  return entries;
}

/** Stores the findings the ledger does not hold yet and returns those. */
export function storeNewFindings(run: BookingUnit, findings: readonly Finding[], now: Date): Promise<Finding[]> {
  return run.books.recordNewFindings(findings, now);
}

/** The APIs have no history: a live sync cannot observe a day before a source's latest close (DESIGN §4). */
export async function refuseDayBeforeLatestClose(books: SyncBooksTx, sourceId: string, asOf: string): Promise<void> {
  const latest = await books.latestClose(sourceId);
  if (latest !== undefined && asOf < latest) {
    throw new UsageError(
      `${sourceId}: cannot take a close as of ${asOf}: its latest close is ${latest} and the API has no history. ` +
        `To re-book stored observations of earlier days use --from DATE --to DATE`,
    );
  }
}
