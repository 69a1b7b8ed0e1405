import { planPost, postEntries, type PostOptions } from '../../../src/pipeline/post/index.js';
import type { DestinationClient } from '../../../src/destinations/index.js';
import type { Ledger } from '../../../src/ledger/index.js';
import { postOutbox, type PostOutbox } from '../../../src/pipeline/post/books/post-outbox.js';

/** What a post is handed of the books: real ones (test/support/books.ts) or in memory (post-outbox-double.ts). */
export type PostingBooks = { readonly ledger: Ledger } & (
  { of(open: typeof postOutbox, destination: string): PostOutbox } | { postOutbox(destination: string): PostOutbox }
);

/** One destination's outbox of either books, as the composition root opens it (`books.of(postOutbox, destination)`). */
export const outboxOf = (books: PostingBooks, destination: string): PostOutbox =>
  'of' in books ? books.of(postOutbox, destination) : books.postOutbox(destination);

/** A post over a test's books, its ports as the composition root hands them to the command. */
export function postOver(books: PostingBooks, options: Omit<PostOptions, 'outbox' | 'ledger'>) {
  return postEntries({ ...options, outbox: outboxOf(books, options.client.kind), ledger: books.ledger });
}

/** A dry run over a test's books. */
export function planOver(
  books: PostingBooks,
  options: { client: DestinationClient; window?: { from?: string; until?: string } },
) {
  return planPost({ ...options, outbox: outboxOf(books, options.client.kind), ledger: books.ledger });
}
