import type { Finding, JournalDraft, JournalEntry, SourceEvent } from '../../rules/index.js';
import type { ExtractIo } from './staged-source.js';

/** What a chunked extract may use: a staged extract's I/O and the day it reads. */
interface DayExtractIo extends ExtractIo {
  /** The close's day (YYYY-MM-DD). */
  day: string;
}

/** One chunk in the ledger's words: its events and findings, and what the kind keeps of it when it is loaded. */
interface NormalizedChunk<Progress> {
  events: SourceEvent[];
  findings: Finding[];
  progress: Progress;
  /** The day's journal, on the chunk that closes the day: its entries are appended with that chunk (checked first by `check`). */
  journal?: { sourceId: string; draft: JournalDraft; check?: (entries: readonly JournalEntry[]) => void };
}

/** A normalized chunk of a day, with the day as the chunk leaves it (the next stage's day; a dry run's, unloaded). */
interface NormalizedDayChunk<Progress, Day> extends NormalizedChunk<Progress> {
  day: Day;
}

/**
 * A kind whose close reads a day in chunks (a panel's opening, its orders polled 2,000 at a time, then its
 * balance), in dlt's three stages: `extract` yields the day's landed chunks (live, or read back from stored
 * replies) and writes nothing; `before` reads what the ledger held of a chunk's items (read verbs only);
 * `normalize` is pure, over the chunk, what was held and the day, and returns the day the chunk leaves;
 * and the pipeline's one loader (loadChunkedDay) commits each chunk in a unit of work of its own,
 * `load` writing the kind's progress with the unit's `tx` alone and returning the day it leaves. `Day` is a
 * value, never changed in place: the loader threads it from stage to stage, and answers each of the extract's
 * `yield`s with the day as its chunk left it. `--dry-run` is extract and normalize: nothing is loaded, and the
 * extract is answered with normalize's day. The unit a close reads need not be a day: `Day` is whatever the
 * kind carries chunk to chunk and `Io` what its extract reads from (a day's HTTP by default).
 */
export interface ChunkedStagedSource<Chunk, Day, Held, Progress, Reads, Tx, Io = DayExtractIo> {
  readonly kind: string;
  extract(io: Io, day: Day): AsyncGenerator<Chunk, void, Day>;
  before(reads: Reads, chunk: Chunk, day: Day): Promise<Held>;
  normalize(chunk: Chunk, held: Held, day: Day): NormalizedDayChunk<Progress, Day>;
  /** Writes the chunk's progress (order states, carried state, the close log) in the chunk's unit, with `tx` alone. */
  load(tx: Tx, progress: Progress, day: Day): Promise<Day>;
}

/**
 * A chunked kind whose unit is kept whole or not at all (a bank statement: a file refused at its last line keeps
 * none of its lines): the pipeline's loader (loadWholeUnit) hands `loadWhole` the normalized chunks as a stream
 * inside one unit of work, so memory holds one chunk whatever the unit's size. Its chunks carry no events or
 * journal: what it lands is its progress.
 */
export interface WholeStagedSource<Chunk, Unit, Held, Progress, Reads, Tx, Io, Loaded> extends Pick<
  ChunkedStagedSource<Chunk, Unit, Held, Progress, Reads, Tx, Io>,
  'kind' | 'before'
> {
  /** Yields the unit's chunks, writing nothing. */
  extract(io: Io, unit: Unit): AsyncIterable<Chunk>;
  normalize(chunk: Chunk, held: Held, unit: Unit): NormalizedChunk<Progress>;
  /** Writes the unit's progress, chunk by chunk as the stream gives it, with `tx` alone. */
  loadWhole(tx: Tx, progress: AsyncIterable<Progress>, unit: Unit): Promise<Loaded>;
}
