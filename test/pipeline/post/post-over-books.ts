import { planPost, postEntries, type PostOptions } from '../../../src/pipeline/post/index.js';
import type { DestinationClient } from '../../../src/destinations/index.js';
import type { Books } from '../../support/books.js';

/** A post over a test's books, its ports as the composition root hands them to the command. */
export function postOver(books: Books, options: Omit<PostOptions, 'outbox' | 'ledger'>) {
  return postEntries({ ...options, outbox: books.postOutbox(options.client.kind), ledger: books.ledger });
}

/** A dry run over a test's books. */
export function planOver(
  books: Books,
  options: { client: DestinationClient; window?: { from?: string; until?: string } },
) {
  return planPost({ ...options, outbox: books.postOutbox(options.client.kind), ledger: books.ledger });
}
