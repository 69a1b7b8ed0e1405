import type { z } from 'zod';
import type { SourceConfig } from '../../config/index.js';
import type { RawObservationId } from '../../errors.js';
import type { Clock, HttpClient, OnRawReply } from '../../http/index.js';
import type { LoggedClose } from '../../ledger/index.js';
import type { Finding, LandedBankLine, SourceEvent } from '../../rules/index.js';

/**
 * What an extract may use: the source, the day being closed (in the books' time zone, so a date-windowed
 * listing reads the window from `day` 00:00 to the next day's 00:00 there), its HTTP (live, or a replay's
 * stored replies: the same requests for the same day find the same replies) and where each reply is landed.
 */
export interface ExtractIo {
  source: SourceConfig;
  /** The day whose close this is (YYYY-MM-DD): the sync's as-of day, or the replayed close's day. */
  day: string;
  /** The books' IANA time zone, in which `day` begins and ends. */
  timeZone: string;
  http: HttpClient;
  clock: Clock;
  onRawReply?: OnRawReply | undefined;
}

/** A day's reading, and the landed reply it was read from. */
export interface Extracted<Reading> {
  reading: Reading;
  rawObservationId: RawObservationId | undefined;
}

/** What a lookup is asked about: the day's reading and what the previous close left, in the books' time zone. */
interface LookupInput<Reading, State> {
  source: SourceConfig;
  /** The close's day. */
  date: string;
  /** The books' IANA time zone, in which `date` begins and ends. */
  timeZone: string;
  currency: string;
  reading: Reading;
  /** What the previous close left; undefined at the first. */
  previous: State | undefined;
}

interface NormalizeInput<Reading, State, Held = undefined> extends Omit<LookupInput<Reading, State>, 'timeZone'> {
  /** What the lookup read of the books for this close (undefined for a kind without one). */
  held: Held;
}

/**
 * The narrow, read-only view of the books a lookup reads through. A close reads the books as they are; a replay
 * reads them as they stood before its window, plus the events it re-derived since: it corrects no day before the
 * window, so an event dated before it counts as held, and it keeps no findings, so it lists no webhooks.
 */
interface StagedReads {
  /** The journal's balance of `account` over the source's entries dated on or before `asOf`. */
  balanceOf(account: string, currency: string, scope: { sourceId: string; asOf: string }): Promise<bigint>;
  /** Whether the books hold the event, dated `date`. */
  holdsEvent(eventId: string, date: string): Promise<boolean>;
  /** The date of the source's first close, where its books begin; undefined before it has one. */
  firstClose(sourceId: string): Promise<string | undefined>;
  /** Every landed bank line booked in the window, in book order: a kind whose money moves with the bank's lines reads them. */
  bankLinesWithin(window: { from: string; to: string }): Promise<LandedBankLine[]>;
  /** A source's stored webhook deliveries of one kind, oldest first (the landing's verb). */
  readableWebhooks(sourceId: string, kind: string, since?: string): AsyncIterable<StoredDelivery>;
}

/** A webhook delivery as the landing stored it. */
interface StoredDelivery {
  id: bigint;
  status: 'stored' | 'processed';
  receivedAt: string;
  body: string;
}

/** The day in the ledger's words: its events and findings, the state the next close starts from, and the figure the close log keeps. */
interface Normalized<State> {
  events: SourceEvent[];
  findings: Finding[];
  next: State;
  /** The one figure the close read ("earnings" 128.00), which a replay compares its re-reading with. */
  figure: { metric: string; valueMicros: bigint };
}

/**
 * A kind whose close is one reading and one carried state, in three stages
 * (dlt's extract → normalize → load): `extract` reads (I/O, every reply
 * landed first), `normalize` is pure, and the pipeline loads: the events,
 * their journal, the findings, the state and the close log in one unit of
 * work. A kind whose rules weigh what is booked reads it first in a read-only
 * `lookup`. A replay is normalize over the stored replies (stagedReplayer), so
 * the kind never reads its own wire format twice.
 */
export interface StagedSource<Reading, State, Held = undefined> {
  readonly kind: string;
  /** What a quarantined reply is named (the reading: "stats"); the kind's name when absent. */
  readonly readingRef?: string;
  extract(io: ExtractIo): Promise<Extracted<Reading>>;
  /**
   * What normalize needs of the books (a receivable as of a payout date, whether a payout is booked), read before
   * it through `reads` alone: a close whose rules weigh what is booked stays pure. Absent: `held` is undefined.
   */
  lookup?(reads: StagedReads, input: LookupInput<Reading, State>): Promise<Held>;
  normalize(input: NormalizeInput<Reading, State, Held>): Normalized<State>;
  /** How the carried state is read back (amounts as MicrosSchema). */
  readonly stateSchema: z.ZodType<State>;
  /**
   * The state a logged close leaves, for a kind whose state is the figure the close log keeps (a lifetime counter):
   * a replay then starts from the close before its window, as the books count from it (what that close recorded,
   * or what an earlier replay re-read), and re-reads the window's closes alone. Absent: it re-reads every close.
   */
  stateFromClose?(close: LoggedClose): State;
  /**
   * The live state after a backfill that re-read the latest close, from the state the books carried and the
   * replayed one: the replayed one when absent. A kind whose event ids count a day's moves keeps the further count,
   * so a later close of that day never takes an id the books already hold.
   */
  adoptReplayed?(live: State | undefined, replayed: State): State;
}
