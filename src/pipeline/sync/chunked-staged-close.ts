import { LedgerlineError } from '../../errors.js';
import type { Ledger } from '../../ledger/index.js';
import { assertInvariant, type Finding, type JournalEntry } from '../../rules/index.js';
import type { ChunkedStagedSource } from '../runs/index.js';
import { appendDraft, type BookingRun, type BookingUnit } from './sync-sources.js';
import type { SyncBooksReads, SyncBooksTx } from './books/sync-books.js';

/** What a chunked kind reads of the ledger before a chunk: the sync's read verbs (a unit's `tx` when loading) and the journal's balances. */
export interface ChunkReads {
  books: SyncBooksReads;
  ledger: Ledger;
}

/** A chunked staged kind as the sync loads it. */
export type ChunkedKind<Chunk, Day, Held, Progress> = ChunkedStagedSource<
  Chunk,
  Day,
  Held,
  Progress,
  ChunkReads,
  SyncBooksTx
>;
/** What a chunked extract may use: a staged extract's I/O and the day it reads. */
export type DayExtractIo = Parameters<ChunkedKind<unknown, unknown, unknown, unknown>['extract']>[0];
type NormalizedChunk<Progress> = ReturnType<ChunkedKind<unknown, unknown, unknown, Progress>['normalize']>;

/** The run a chunked day is loaded in: a dry run extracts and normalizes, and loads nothing. */
interface ChunkedRun extends BookingRun {
  dryRun: boolean;
}

/** What the day booked (a dry run: would book); `failed` when its extract stopped, with the chunks loaded before it. */
interface BookedChunks {
  outcome: 'booked';
  /** The events of the day's journal (an interrupted close's among them). */
  events: number;
  entries: JournalEntry[];
  findings: Finding[];
}
/** A booked day ends with the day its last chunk left (a dry run's as normalize left it). */
type ChunkedDay<Day> = (BookedChunks & { day: Day }) | { outcome: 'failed'; error: LedgerlineError };
type TakenChunk<Day> = BookedChunks & { day: Day };

/**
 * The pipeline's one loader of a chunked staged kind: each chunk the extract yields is normalized over
 * what the ledger held of it and committed in a unit of work of its own (its events, findings and the
 * kind's progress, and with the day's last chunk its journal), only the unit's `tx` written through. The
 * day is threaded from stage to stage (normalize's to load, load's to the next chunk), and the extract's
 * `yield` is answered with it. In a dry run the same chunks are normalized over the same reads, nothing is
 * written, and the day goes on as normalize left it. An extract that stops with a LedgerlineError ends the
 * day as failed; what its earlier chunks loaded stays.
 */
export async function loadChunkedDay<Chunk, Day, Held, Progress>(
  run: ChunkedRun,
  kind: ChunkedKind<Chunk, Day, Held, Progress>,
  io: DayExtractIo,
  opening: Day,
): Promise<ChunkedDay<Day>> {
  const loaded: BookedChunks = { outcome: 'booked', events: 0, entries: [], findings: [] };
  let day = opening;
  const chunks = kind.extract(io, day);
  const bookedAt = run.now();
  for (;;) {
    let next: IteratorResult<Chunk, void>;
    try {
      next = await chunks.next(day);
    } catch (error) {
      if (!(error instanceof LedgerlineError)) throw error;
      return { outcome: 'failed', error };
    }
    if (next.done === true) return { ...loaded, day };
    const chunk = next.value;
    const taken = run.dryRun
      ? await rehearseChunk(run, kind, chunk, day)
      : await run.books.unit((tx) => loadChunk({ ...run, books: tx, ledger: tx.ledger }, kind, chunk, day, bookedAt));
    loaded.events += taken.events;
    for (const entry of taken.entries) loaded.entries.push(entry);
    for (const found of taken.findings) loaded.findings.push(found);
    day = taken.day;
  }
}

async function loadChunk<Chunk, Day, Held, Progress>(
  unit: BookingUnit,
  kind: ChunkedKind<Chunk, Day, Held, Progress>,
  chunk: Chunk,
  day: Day,
  bookedAt: Date,
): Promise<TakenChunk<Day>> {
  const normalized = kind.normalize(
    chunk,
    await kind.before({ books: unit.books, ledger: unit.ledger }, chunk, day),
    day,
  );
  const stored = await unit.books.recordChunkEvents(normalized.events, { runId: unit.runId, now: bookedAt });
  // The day's journal took every event normalize gave: one the ledger held already would be booked twice.
  assertInvariant(
    stored === normalized.events.length,
    () =>
      `${kind.kind} close: ${normalized.events.length - stored} of a chunk's ${normalized.events.length} ` +
      `events are in the ledger already; nothing of the chunk was committed`,
  );
  const findings = await unit.books.recordNewFindings(normalized.findings, bookedAt);
  const loadedDay = await kind.load(unit.books, normalized.progress, normalized.day);
  // The journal last: on PostgreSQL the append holds the ledger's chain lock until the commit.
  const journal = normalized.journal;
  const entries =
    journal === undefined ? [] : await appendDraft(unit, journal.sourceId, journal.draft, bookedAt, journal.check);
  return { ...journalled(normalized, entries, findings), day: loadedDay };
}

/** A dry run's chunk: normalized over the same reads as a load, and its journal's entries drafted; nothing is written. */
async function rehearseChunk<Chunk, Day, Held, Progress>(
  run: ChunkedRun,
  kind: ChunkedKind<Chunk, Day, Held, Progress>,
  chunk: Chunk,
  day: Day,
): Promise<TakenChunk<Day>> {
  const normalized = kind.normalize(
    chunk,
    await kind.before({ books: run.books, ledger: run.ledger }, chunk, day),
    day,
  );
  if (normalized.journal === undefined)
    return { ...journalled(normalized, [], normalized.findings), day: normalized.day };
  const { sourceId, draft, check } = normalized.journal;
  const entries = draft.entries(await run.books.entryIdsOn(sourceId, draft.dates()));
  check?.(entries);
  // Refused as the real run's append would refuse them (a closed period).
  await run.ledger.refuseUnbookable(entries);
  return { ...journalled(normalized, entries, normalized.findings), day: normalized.day };
}

function journalled(normalized: NormalizedChunk<unknown>, entries: JournalEntry[], findings: Finding[]): BookedChunks {
  return { outcome: 'booked', events: normalized.journal?.draft.eventCount ?? 0, entries, findings };
}
