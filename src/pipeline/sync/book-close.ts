import { UsageError } from '../../errors.js';
import type { Ledger, LedgerStore } from '../../ledger/index.js';
import type { JournalEntry } from '../../rules/index.js';
import { entryIdsOn, insertNewEvents, insertNewFindings, latestLoggedClose } from '../../store/index.js';
import { JournalDraft, toStoredJson, type EventRules, type Finding, type Granularity, type SourceEvent } from '../../rules/index.js';

/** What a booking needs from the run around it (a CloseContext has all of it). */
export interface BookingRun {
  ledger: Ledger;
  store: LedgerStore;
  chart: EventRules;
  granularity: Granularity;
  runId: string;
  now: () => Date;
}

export interface CloseBooking {
  sourceId: string;
  events: readonly SourceEvent[];
  findings: readonly Finding[];
  /** The source's own progress (order states, counters, closes), written in the same transaction. */
  writeProgress: () => Promise<void>;
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
  return run.store.unitOfWork(async () => {
    const events = await storeNewEvents(run, booking.events, now);
    const entries = await appendJournal(run, booking.sourceId, events, now);
    const findings = await storeNewFindings(run, booking.findings, now);
    await booking.writeProgress();
    return { events, entries, findings };
  });
}

/*
 * The three writes of bookClose, for a close that books in chunks inside its
 * own transaction (a panel's first import): events and findings chunk by
 * chunk, the journal once at the end, since a daily entry holds the whole day.
 */

/** Stores the events the ledger does not hold yet and returns those (a replayed event id is skipped). */
export async function storeNewEvents(run: BookingRun, events: readonly SourceEvent[], now: Date): Promise<SourceEvent[]> {
  const stored = await insertNewEvents(run.store, storedEvents(events), { runId: run.runId, now: now.toISOString() });
  return events.filter((_, index) => stored[index]);
}

/** Journalizes events new to the ledger and appends the entries, numbered after the day's entries already booked. */
export async function appendJournal(run: BookingRun, sourceId: string, events: readonly SourceEvent[], now: Date): Promise<JournalEntry[]> {
  const draft = new JournalDraft(run.chart, run.granularity);
  for (const event of events) draft.add(event);
  return appendDraft(run, sourceId, draft, now);
}

/** Appends the entries of a journal drafted as a close booked its events (the events are new to the ledger). */
export async function appendDraft(run: BookingRun, sourceId: string, draft: JournalDraft, now: Date): Promise<JournalEntry[]> {
  const existingEntryIds = await entryIdsOn(run.store, sourceId, draft.dates());
  const entries = draft.entries(existingEntryIds);
  await run.ledger.appendEntries(entries, { runId: run.runId, now });
  return entries;
}

/** Stores the findings the ledger does not hold yet and returns those. */
export async function storeNewFindings(run: BookingRun, findings: readonly Finding[], now: Date): Promise<Finding[]> {
  const recorded = await insertNewFindings(run.store, findings, now.toISOString());
  return findings.filter((_, index) => recorded[index]);
}

/** Each event as the store keeps it, made one at a time: a close may book 200,000. */
function* storedEvents(events: readonly SourceEvent[]) {
  for (const event of events) yield { ...event, detail: toStoredJson(event.detail) };
}

/** The APIs have no history: a live sync cannot observe a day before a source's latest close (DESIGN §4). */
export async function refuseDayBeforeLatestClose(store: LedgerStore, sourceId: string, asOf: string): Promise<void> {
  const latest = await latestLoggedClose(store, sourceId);
  if (latest !== undefined && asOf < latest) {
    throw new UsageError(
      `${sourceId}: cannot take a close as of ${asOf}: its latest close is ${latest} and the API has no history. ` +
        `To re-book stored observations of earlier days use --from DATE --to DATE`,
    );
  }
}
