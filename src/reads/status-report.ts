import { closesAfterToday, type FutureClose } from './future-closes.js';
import type { LedgerCounts, LedgerReads } from './books/ledger-reads.js';
import type { LastSync } from '../pipeline/runs/index.js';

export interface StatusReport extends LedgerCounts {
  ledger: string;
  /** Closes dated after today (see future-closes.ts); each blocks its source's nightly syncs. */
  closesAfterToday: FutureClose[];
  /** SQLite's page check: "ok", or the first problems it found; "not checked" when the reader asked for no check. */
  integrity: string;
  /** The latest sync (a plain one, a backfill or a scheduled night): what it booked, and why it failed if it did. */
  lastSync: LastSync | null;
}

/** What a finance person checks in the morning: last runs, open orders, what is not posted, what needs a look. */
export async function statusReport(
  reads: LedgerReads,
  options: {
    ledgerPath: string;
    destinations: readonly string[];
    /** The kinds of finding late orders explain whole, as the kinds declare them: counted apart. */
    explainedByLateOrders: readonly string[];
    today: string;
    /** The latest sync, as pipeline/runs reads it (handed in: the runs' records are theirs to read). */
    lastSync: () => Promise<LastSync | null>;
    /** Each source's orders by standing, as the kinds' own books count them (handed in through the registry). */
    openOrders: () => Promise<LedgerCounts['openOrders']>;
    /**
     * true: only what the fleet view reads, which shows neither integrity nor what is unposted: no page check (it
     * reads every page of the file; integrity says "not checked") and no unposted counts (each a pass over every entry).
     */
    fleetOnly?: boolean;
  },
): Promise<StatusReport> {
  const destinations = options.fleetOnly === true ? [] : options.destinations;
  const { entries, lastEntryDate, runs, ...counts } = await reads.ledgerCounts({
    destinations,
    explainedByLateOrders: options.explainedByLateOrders,
  });
  return {
    ledger: options.ledgerPath,
    // In the order status --json has always listed them: the orders after the runs.
    entries,
    lastEntryDate,
    runs,
    openOrders: await options.openOrders(),
    ...counts,
    closesAfterToday: closesAfterToday(counts.lastCloses, options.today),
    integrity: options.fleetOnly === true ? 'not checked' : ((await reads.integrityProblem()) ?? 'ok'),
    lastSync: await options.lastSync(),
  };
}
