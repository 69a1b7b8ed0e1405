import type { Books } from './index.js';
import type { Config } from '../config/index.js';
import { statusFacts, type StatusRead } from '../pipeline/status/index.js';
import { booksDays } from '../cli/calendar.js';
import type { CommandProcess } from '../cli/command.js';
import { withBooksFor } from '../cli/load.js';
import { reconcileReadsOf } from './reconcile-reads.js';

export type { StatusFacts, StatusRead, UnconfiguredTokens } from '../pipeline/status/index.js';

/** What status reads, from the books a command opened: reconcile's reads among them (reconcile-reads.ts). */
export function statusBooksOf(books: Books) {
  return { ...pick(books), kindBooks: books, reconcileReads: reconcileReadsOf(books) };
}

function pick({ ledgerReads, runRecords, parkedSources, transitBooks, sealBooks, exceptionWords }: Books) {
  return { ledgerReads, runRecords, parkedSources, transitBooks, sealBooks, exceptionWords };
}

/** The books' today and yesterday (the latest day a night closes), and the facts as of today, read with the ledger opened for reading. */
export async function readStatusFacts(context: CommandProcess, config: Config, read: StatusRead = {}) {
  const { today, yesterday } = await booksDays(config, context.now(), (line) => context.logger.warn(line));
  const { facts, openItems, words, latestRuns } = await withBooksFor(config, { forReading: true }, (books) =>
    statusFacts(statusBooksOf(books), config, { today, now: context.now(), read }),
  );
  return { today, yesterday, facts, openItems, words, latestRuns };
}
