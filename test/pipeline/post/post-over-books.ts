import { planPost, postEntries, type PostOptions } from '../../../src/pipeline/post/index.js';
import type { DestinationClient } from '../../../src/destinations/index.js';
import type { Ledger } from '../../../src/ledger/index.js';
import type { PostOutbox } from '../../../src/pipeline/post/post-outbox.js';

/** What a post is handed of the books: real ones (test/support/books.ts) or in memory (post-outbox-double.ts). */
export interface PostingBooks {
  postOutbox(destination: string): PostOutbox;
  readonly ledger: Ledger;
}

/** A post over a test's books, its ports as the composition root hands them to the command. */
export function postOver(books: PostingBooks, options: Omit<PostOptions, 'outbox' | 'ledger'>) {
  return postEntries({ ...options, outbox: books.postOutbox(options.client.kind), ledger: books.ledger });
}

/** A dry run over a test's books. */
export function planOver(
  books: PostingBooks,
  options: { client: DestinationClient; window?: { from?: string; until?: string } },
) {
  return planPost({ ...options, outbox: books.postOutbox(options.client.kind), ledger: books.ledger });
}
