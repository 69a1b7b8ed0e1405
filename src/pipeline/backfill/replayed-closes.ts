import type { FigureReread, SourceEvent } from '../../rules/index.js';

/** A backfill window, both ends inclusive. */
export interface ReplayWindow {
  from: string;
  to: string;
}

/** What the stored replies of a source's closes in a window say, re-read with today's readers and rules. */
export interface ReplayedCloses {
  sourceId: string;
  /**
   * The re-derived events of each day the window's closes speak for: every
   * close date in the window, and any earlier date in it a close books onto
   * (a missed payout date). Days not listed are left as they are.
   */
  days: Map<string, SourceEvent[]>;
  /** Committed closes re-read in the window (a panel also re-reads those before it). */
  closesInWindow: number;
  /** Closes in the window whose reply now reads another figure (counter or balance) than the books count from. */
  rereads: FigureReread[];
}
