import type { Books } from './index.js';
import type { Config } from '../config/index.js';
import { exceptionWordBooks } from '../pipeline/adjustments/index.js';
import { statusFacts, type StatusRead } from '../pipeline/status/index.js';
import { transitBooks } from '../pipeline/transit/index.js';
import { kindReadsOf, reconcileReadsOf } from './reconcile-reads.js';
import type { AppProcess } from './app-process.js';
import { booksDays } from './books-days.js';
import { withBooksFor } from './configured-books.js';
import { atMost } from './ledger-mode.js';
import { parkedSources } from '../pipeline/sync/index.js';

export type { StatusFacts, StatusRead, UnconfiguredTokens } from '../pipeline/status/index.js';

/** What the status reads take of the command's process: its clock, and its log for a sandbox day that cannot be read (booksDays). */
export type StatusReader = Pick<AppProcess, 'now' | 'logger' | 'ledger'>;

/** What status reads, from the books a command opened: reconcile's reads among them (reconcile-reads.ts). */
function statusBooksOf(books: Books) {
  return { ...pick(books), kindBooks: kindReadsOf(books), reconcileReads: reconcileReadsOf(books) };
}

function pick({ of, findings }: Books) {
  return {
    of,
    parkedSources: of(parkedSources),
    transitBooks: of(transitBooks, findings),
    exceptionWords: of(exceptionWordBooks),
  };
}

/** The books' today and yesterday (the latest day a night closes), and the facts as of today, read with the ledger opened for reading. */
export async function readStatusFacts(reader: StatusReader, config: Config, read: StatusRead = {}) {
  const { today, yesterday } = await booksDays(config, reader);
  const { facts, openItems, words, latestRuns, sourceParts } = await withBooksFor(
    config,
    atMost(reader.ledger, 'read'),
    (books) => statusFacts(statusBooksOf(books), config, { today, now: reader.now(), read }),
  );
  return { today, yesterday, facts, openItems, words, latestRuns, sourceParts };
}
