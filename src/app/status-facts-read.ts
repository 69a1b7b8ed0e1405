import type { Books } from './index.js';
import type { Config } from '../config/index.js';
import { statusFacts, type StatusRead } from '../pipeline/status/index.js';
import { reconcileReadsOf } from './reconcile-reads.js';

export type { StatusFacts, StatusRead, UnconfiguredTokens } from '../pipeline/status/index.js';

/**
 * How a command reads the books for status, handed by it: the clock, the books' days (a sandbox trial's
 * included) and its books opened for reading.
 */
export interface StatusReader {
  now(): Date;
  booksDays(config: Config): Promise<{ today: string; yesterday: string }>;
  withReadBooks<T>(config: Config, work: (books: Books) => Promise<T>): Promise<T>;
}

/** What status reads, from the books a command opened: reconcile's reads among them (reconcile-reads.ts). */
function statusBooksOf(books: Books) {
  return { ...pick(books), kindBooks: books, reconcileReads: reconcileReadsOf(books) };
}

function pick({ ledgerReads, runRecords, parkedSources, transitBooks, sealBooks, exceptionWords }: Books) {
  return { ledgerReads, runRecords, parkedSources, transitBooks, sealBooks, exceptionWords };
}

/** The books' today and yesterday (the latest day a night closes), and the facts as of today, read with the ledger opened for reading. */
export async function readStatusFacts(reader: StatusReader, config: Config, read: StatusRead = {}) {
  const { today, yesterday } = await reader.booksDays(config);
  const { facts, openItems, words, latestRuns } = await reader.withReadBooks(config, (books) =>
    statusFacts(statusBooksOf(books), config, { today, now: reader.now(), read }),
  );
  return { today, yesterday, facts, openItems, words, latestRuns };
}
