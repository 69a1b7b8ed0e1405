import type { z } from 'zod';
import type { SourceConfig } from '../../config/index.js';
import type { RawObservationId } from '../../errors.js';
import type { Clock, HttpClient, OnRawReply } from '../../http/index.js';
import type { Finding, SourceEvent } from '../../rules/index.js';

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

export interface NormalizeInput<Reading, State> {
  source: SourceConfig;
  /** The close's day. */
  date: string;
  currency: string;
  reading: Reading;
  /** What the previous close left; undefined at the first. */
  previous: State | undefined;
}

/** The day in the ledger's words: its events and findings, the state the next close starts from, and the figure the close log keeps. */
export interface Normalized<State> {
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
 * work. A replay is normalize over the stored replies (stagedReplayer), so the
 * kind never reads its own wire format twice.
 */
export interface StagedSource<Reading, State> {
  readonly kind: string;
  extract(io: ExtractIo): Promise<Extracted<Reading>>;
  normalize(input: NormalizeInput<Reading, State>): Normalized<State>;
  /** How the carried state is read back (amounts as MicrosSchema). */
  readonly stateSchema: z.ZodType<State>;
}
