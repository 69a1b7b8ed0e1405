import type { Config } from '../config/index.js';
import { ledgerReads } from '../reads/index.js';
import type { Books } from './index.js';
import { filingBooks } from '../pipeline/adjustments/index.js';
import { lastClosedPeriodCheck } from '../pipeline/nightly/index.js';
import { certificateFolder, periodStates, sealBooks } from '../pipeline/operations/index.js';
import { closeBlockerReads } from '../pipeline/status/index.js';
import { transitBooks } from '../pipeline/transit/index.js';
import { reconcileReadsOf } from './reconcile-reads.js';
import { apiDestinationNames } from './destination-choices.js';
import { runRecords } from '../pipeline/runs/index.js';

/**
 * The console's periods page from books opened for reading: each month as `close --period` would judge it
 * (without the vendors: no lock dates, no bank-side documents asked for), and the last night's re-verification,
 * as of the books' day.
 */
export async function periodsPage(config: Config, books: Books, day: { today: string; now: Date }) {
  const { today, now } = day;
  const span = await books.of(ledgerReads).journalDateSpan();
  const destinations = apiDestinationNames()
    .filter((name) => name in config.destinations)
    .map((name) => ({ name, lockDate: undefined }));
  const months = await periodStates(books.of(sealBooks), books.ledger, {
    today,
    destinations,
    entryMonths: span === null ? undefined : { first: span.first.slice(0, 7), last: span.last.slice(0, 7) },
    ...closeBlockerReads(
      {
        reconcileReads: reconcileReadsOf(books),
        ledgerReads: books.of(ledgerReads),
        transitBooks: books.of(transitBooks, books.findings),
      },
      config,
      { today, now },
      async () => new Map(),
    ),
  });
  const last = await lastClosedPeriodCheck(books.of(runRecords));
  const filedReturns = await books.of(filingBooks).filedReturns();
  return {
    filedReturns,
    months,
    lastCheck: last === undefined ? undefined : { startedAt: last.startedAt, drift: last.drift },
    certificateFolder: certificateFolder(config),
  };
}
