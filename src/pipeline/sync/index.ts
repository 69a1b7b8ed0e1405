/** The nightly sync: each source's close of one day, taken live (or handed to workers through the queue), booked and reported. */
import type { OrdersFileOrder } from '../../kinds/panel/orders-file.js';
import { readPanelOrdersFiles, requestRepoll } from '../../kinds/panel/panel-close.js';
import type { SyncBooks } from './sync-books.js';

export { syncNight } from './sync-night.js';
export { type SyncNightDependencies } from './sync-sources.js';
export { type CloseTaking, type SourceCloser, type SourceClosers } from './source-closer.js';
export { planClose, stagedCloser } from './staged-close.js';
export { bookClose } from './sync-sources.js';
export {
  CloseJobSchema,
  closesInOrder,
  enqueueCloses,
  failureOf,
  recordedClosesExitCode,
  waitForCloses,
  waitForJobs,
  type CloseJob,
  type WaitLimits,
} from './queued-sync.js';
export {
  planQueuedSync,
  queuedSyncNight,
  type QueuedSyncOutcome,
  type QueuedSyncRequest,
} from './queued-sync-night.js';
export { type SyncBooks } from './sync-books.js';

/** What a backfill with --orders-file needs of the panel's close: the file's rows, and the request to ask about them again at the next sync. */
export function ordersFileRepoll(books: SyncBooks) {
  return {
    read: readPanelOrdersFiles,
    request: (sourceId: string, orders: readonly OrdersFileOrder[], asOf: string, now: Date) =>
      requestRepoll(books, sourceId, orders, asOf, now),
  };
}
export {
  type AddAcrossBalanceRead,
  type BookedFallExplanation,
  type FoundOrder,
  type NewOrder,
  type ObservedOrderState,
  type SyncBooksReads,
  type SyncBooksTx,
} from './sync-books.js';
export { loadChunkedDay, type ChunkReads, type ChunkedKind, type DayExtractIo } from './chunked-staged-close.js';
export { type CloseContext, type SourceSyncReport } from './close-context.js';
export { refuseDayBeforeLatestClose } from './sync-sources.js';
