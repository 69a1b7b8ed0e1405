/** The nightly sync: each source's close of one day, taken live (or handed to workers through the queue), booked and reported. */
import type { OrdersFileRepoll } from '../runs/index.js';
import { readPanelOrdersFiles, requestRepoll } from './panel-close.js';

export { refuseUnusableOrdersFiles } from './panel-close.js';

export { syncNight } from './sync-night.js';
export { syncSources } from './sync-sources.js';
export { enqueueCloses, failureOf, recordedCloses, recordedClosesExitCode, waitForCloses, waitForJobs, CloseJobSchema, CloseJobOutputSchema } from './queued-sync.js';
export type { CloseJob, QueuedClose, RecordedClose, WaitLimits } from './queued-sync.js';

/** What a backfill with --orders-file needs of the panel's close: the file's rows, and the request to ask about them again at the next sync. */
export const ordersFileRepoll: OrdersFileRepoll = { read: readPanelOrdersFiles, request: requestRepoll };
