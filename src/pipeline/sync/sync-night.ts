import { syncOutcome, type SyncOutcome, type SyncRequest } from '../runs/index.js';
import type { SyncBooks } from './books/sync-books.js';
import { syncSources, type SyncNightDependencies } from './sync-sources.js';

/**
 * The sync's composition root: takes the close of `request.asOf` for each selected source and reads the
 * report into the run's summary, exit code and alert items. `sync` records it as a `sync` run under the
 * ledger's run lock, `worker` as one source's `close` run under that source's lock, and `schedule` as the
 * sync step of its night; each prints or keeps what it returns.
 */
export async function syncNight(
  deps: SyncNightDependencies,
  request: SyncRequest,
  books: SyncBooks,
): Promise<SyncOutcome> {
  return syncOutcome(deps, await syncSources(deps, request, books), deps.runId);
}
