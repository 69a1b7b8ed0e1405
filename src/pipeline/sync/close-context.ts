import type { Ledger } from '../../ledger/index.js';
import type { Logger } from '../../log/logger.js';
import type { EventRules, Finding, Granularity, PayoutMethod } from '../../rules/index.js';
import type { JournalEntry } from '../../rules/index.js';
import type { LedgerlineError } from '../../errors.js';

/** What every source's close needs from the run around it. */
export interface CloseContext {
  ledger: Ledger;
  chart: EventRules;
  granularity: Granularity;
  asOf: string;
  /** The configured timezone: webhook timestamps are dated in it. */
  timezone: string;
  runId: string;
  dryRun: boolean;
  now: () => Date;
  logger: Logger;
}

export interface BookedPayout {
  date: string;
  method: PayoutMethod;
  currency: string;
  amountMicros: bigint;
}

export interface SourceSyncReport {
  sourceId: string;
  outcome: 'booked' | 'failed';
  events: number;
  entries: JournalEntry[];
  findings: Finding[];
  quarantined: number;
  error?: LedgerlineError;
  /** Panel only: how many orders were polled. */
  polled?: number;
  /** Ad network only: the payouts this close booked (the whole receivable, paid on a payout date). */
  payouts?: BookedPayout[];
  /** Backfill only: orders to be asked about again at the next close. */
  repollRequested?: number;
}

class DryRunRollback<Booked> extends Error {
  constructor(readonly booked: Booked) {
    super('dry run: rolled back');
  }
}

/**
 * Books for real, or, in a dry run, computes exactly the same thing inside a
 * transaction that is then rolled back: the plan shown is what a real run
 * would write, and nothing is written.
 */
export async function bookOrRehearse<Booked>(context: CloseContext, book: () => Promise<Booked>): Promise<Booked> {
  if (!context.dryRun) return book();
  try {
    await context.ledger.store.unitOfWork(async () => {
      throw new DryRunRollback(await book());
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.booked as Booked;
    throw error;
  }
  throw new Error('unreachable: a dry run always rolls back');
}
