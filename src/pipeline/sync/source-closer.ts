import type { SourceConfig } from '../../config/index.js';
import type { Clock, HttpClient, OnRawReply, RateLimit } from '../../http/index.js';
import type { CloseContext, SourceSyncReport } from './close-context.js';

/** One source's close as the sync hands it to the source's kind: the run around it, the source, and its HTTP. */
export interface CloseTaking {
  context: CloseContext;
  source: SourceConfig;
  /** Keeps to the kind's request budget, retries as the one retry loop decides, and lands every reply through `onRawReply`. */
  http: HttpClient;
  clock: Clock;
  /** Stores each raw reply before it is read (DESIGN: nothing read is lost). */
  onRawReply: OnRawReply;
  /** The top-level currency, for a source that names none of its own. */
  currency: string;
  /** The orders files this source reads tonight (its own and --orders-file), for a kind that reads orders files. */
  ordersFiles: readonly string[];
  /** Rows of those files that could not be read, each "orders.csv line 7: …", for the run's report. */
  onOrdersFileProblems(problems: readonly string[]): void;
}

/**
 * What the nightly sync needs of a kind of source: how to take one day's close.
 * The registry (src/pipeline/kinds) bundles it with the kind's other parts.
 */
export interface SourceCloser {
  readonly kind: string;
  /** The vendor's request budget, which the source's HTTP client keeps to; none when the vendor sets none. */
  requestBudget?(source: SourceConfig): RateLimit | undefined;
  /** The orders files a source names in its entry (`ordersFile:`); a kind without it reads none, and --orders-file is refused for it. */
  ordersFilesOf?(source: SourceConfig): readonly string[];
  /** Stops the run before any call when one of those files (or --orders-file) has no header the kind can read. */
  refuseUnusableOrdersFiles?(paths: readonly string[]): Promise<void>;
  /**
   * Whether its API can read a past day (a listing with dates, a statement): a first close may then be of a past
   * day, and `sync --from/--to` fetches the window's days after its latest close live. A kind without it tells only
   * the present (a balance, a lifetime counter): a close of a past day would book today's figures under it.
   */
  readonly readsPastDays?: true;
  /** Takes the close of `take.context.asOf`, committing in units of work of its own; a failure is reported, not thrown. */
  close(take: CloseTaking): Promise<SourceSyncReport>;
}

/** The closer of a configured source's kind. */
export type SourceClosers = (source: SourceConfig) => SourceCloser;
