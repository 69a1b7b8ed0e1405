import type { Ledger } from '../../ledger/index.js';
import type { Logger } from '../../log/index.js';
import type { EventRules, Granularity, TaxBook } from '../../rules/index.js';
import type { SyncBooks } from './books/sync-books.js';

/** What every source's close needs from the run around it. */
export interface CloseContext {
  ledger: Ledger;
  /** The books beside the journal (orders, source state, the close log…). */
  books: SyncBooks;
  chart: EventRules;
  /** The chart's tax book (Chart.taxBook): the entries booked take the tax by it; none, none is booked. */
  taxBook?: TaxBook | undefined;
  granularity: Granularity;
  asOf: string;
  /** The configured timezone: webhook timestamps are dated in it. */
  timezone: string;
  runId: string;
  dryRun: boolean;
  now: () => Date;
  logger: Logger;
  /**
   * Set when the days closed are before the sources' first close, read by a backfill for their history (issue 83
   * item 6): each source's state after the history day closed last. Such a close does not go forward from the
   * latest close, starts from that state (none: it is the source's new first close) and leaves the live state be.
   */
  history?: Map<string, unknown>;
  /** Whether a panel proxy that can still answer an add the panel holds is running for this source (absent: assume one may be). */
  proxyAnswering?: (sourceId: string) => boolean;
}

/** What each close gives back: kept in runs/, since a backfill reports the same shape. */
export type { SourceSyncReport } from '../runs/index.js';
