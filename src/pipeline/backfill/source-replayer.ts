import type { SourceConfig } from '../../config/index.js';
import type { Ledger } from '../../ledger/index.js';
import type { EventRules, Granularity, TaxBook } from '../../rules/index.js';
import type { BackfillBooks, BackfillBooksReads, BackfillBooksTx } from './books/backfill-books.js';
import type { ReplayedCloses, ReplayWindow } from './replayed-closes.js';

export interface BackfillRun {
  ledger: Ledger;
  books: BackfillBooks;
  chart: EventRules;
  /** The chart's tax book (Chart.taxBook): the entries booked take the tax by it; none, none is booked. */
  taxBook?: TaxBook | undefined;
  granularity: Granularity;
  /** The books' time zone, in which each close's day begins and ends. */
  timeZone: string;
  runId: string;
  now: () => Date;
  dryRun: boolean;
  /** Called after each close is re-read (for a progress bar). */
  onClose?: (date: string) => void;
}

/**
 * What a replay moves for one order on one day: the window's re-derived net charge less what the books hold for it
 * (a kind with orders declares its own of this shape). Example: order 1 re-read at 0.80 where 1.00 was booked on
 * 2026-03-02 is { orderId: '1', date: '2026-03-02', amountMicros: -200000n }.
 */
export interface OrderCorrection {
  orderId: string;
  date: string;
  amountMicros: bigint;
}

/** An item today's reader rejects in a stored reply that was read on the night. */
interface UnreadableItem {
  date: string;
  orderId: string;
  reason: string;
}

/** A source's closes in a window re-read from their stored replies, whatever its kind. */
export interface SourceReplay extends ReplayedCloses {
  /** What the replay moves per order (a panel's); none for a kind without orders. */
  orderCorrections: readonly OrderCorrection[];
  /** Nothing is booked while there is one: booking without it would drop a charge. */
  unreadable: readonly UnreadableItem[];
  /** Keeps what a day's correction moved per order (a panel's), so a later replay counts it as booked. */
  keepCorrections?(
    tx: BackfillBooksTx,
    corrections: readonly OrderCorrection[],
    meta: { entryId: string | undefined; runId: string; now: Date },
  ): Promise<void>;
  /** Makes the replay's end state the live one; called when the window reaches the latest close, in a run that books. */
  adoptAsLive(tx: BackfillBooksTx, now: Date): Promise<void>;
}

/**
 * What the backfill needs of a kind of source: how to re-read its committed
 * closes from their stored replies with today's readers and rules. The
 * registry (src/pipeline/kinds) bundles it with the kind's other parts.
 */
export interface SourceReplayer {
  readonly kind: string;
  /** Refuses a replay the books cannot take yet (a panel close that stopped half way), as a UsageError. */
  refuseReplay?(run: BackfillRun, source: SourceConfig): Promise<void>;
  /** How many closes the replay re-reads (for the progress bar). */
  closesToReplay(books: BackfillBooksReads, source: SourceConfig, window: ReplayWindow): Promise<number>;
  replay(
    run: BackfillRun,
    source: SourceConfig,
    options: { window: ReplayWindow; onClose?: ((date: string) => void) | undefined },
  ): Promise<SourceReplay>;
  /** Whether its API reads a past day (the sync's SourceCloser says the same): a window's days after its latest close are then read live. */
  readonly readsPastDays?: true;
}

/** The replayer of a configured source's kind. */
export type SourceReplayers = (source: SourceConfig) => SourceReplayer;
