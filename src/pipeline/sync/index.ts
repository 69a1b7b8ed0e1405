/** The nightly sync: each source's close of one day, taken live (or handed to workers through the queue), booked and reported. */

export { syncNight } from './sync-night.js';
export { type SyncNightDependencies } from './sync-sources.js';
export { type SourceCloser } from './source-closer.js';
export { stagedCloser } from './staged-close.js';
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
export { syncBooks, type SyncBooks } from './books/sync-books.js';
export { type BookedFallExplanation, type SyncBooksReads, type SyncBooksTx } from './books/sync-books.js';
export { loadChunkedDay, type ChunkReads, type ChunkedKind, type DayExtractIo } from './chunked-staged-close.js';
export { type CloseContext, type SourceSyncReport } from './close-context.js';
export { refuseDayBeforeLatestClose } from './sync-sources.js';
export { refusePastDays } from './past-days.js';
export { parkedSources } from './books/parked-sources.js';
