import type { LedgerStore } from '../../ledger/index.js';
import { ledgerCounts, type LedgerCounts } from '../../store/index.js';
import { closesAfterToday, type FutureClose } from './future-closes.js';
import { lastSync, type LastSync } from '../runs/index.js';

export interface StatusReport extends LedgerCounts {
  ledger: string;
  /** Closes dated after today (see future-closes.ts); each blocks its source's nightly syncs. */
  closesAfterToday: FutureClose[];
  /** SQLite's page check: "ok", or the first problems it found. */
  integrity: string;
  /** The latest sync (a plain one, a backfill or a scheduled night): what it booked, and why it failed if it did. */
  lastSync: LastSync | null;
}

/** What a finance person checks in the morning: last runs, open orders, what is not posted, what needs a look. */
export async function statusReport(store: LedgerStore, options: { ledgerPath: string; destinations: readonly string[]; today: string; runLimit?: number }): Promise<StatusReport> {
  const counts = await ledgerCounts(store, { destinations: options.destinations, runLimit: options.runLimit });
  return {
    ledger: options.ledgerPath,
    ...counts,
    closesAfterToday: closesAfterToday(counts.lastCloses, options.today),
    integrity: await store.integrityProblem() ?? 'ok',
    lastSync: await lastSync(store),
  };
}
