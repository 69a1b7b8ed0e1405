import { journalBooksOver } from '../../../src/store/journal-books-store.js';
import { Ledger } from '../../../src/ledger/index.js';
import { type LedgerStore } from '../../../src/store/index.js';
import { planPost, postEntries, type PostOptions } from '../../../src/pipeline/post/index.js';
import type { DestinationClient } from '../../../src/destinations/index.js';
import { postOutboxOver } from '../../../src/store/post-outbox-store.js';

/** A post over a test's store, its port built as the composition root builds it. */
export function postOver(store: LedgerStore, options: Omit<PostOptions, 'outbox' | 'ledger'>) {
  return postEntries({ ...options, outbox: postOutboxOver(store, options.client.kind), ledger: new Ledger(journalBooksOver(store)) });
}

/** A dry run over a test's store. */
export function planOver(store: LedgerStore, options: { client: DestinationClient; window?: { from?: string; until?: string } }) {
  return planPost({ ...options, outbox: postOutboxOver(store, options.client.kind), ledger: new Ledger(journalBooksOver(store)) });
}
