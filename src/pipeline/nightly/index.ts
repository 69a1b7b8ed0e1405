/** The scheduled night (`schedule`): sync as of the last ended day, then post the synced days, in this process or through the job queue's workers. */
export { localNightSteps, type LocalNightDependencies } from './local-night.js';
export { RUN_LOCK_HEARTBEAT_MS, nightSyncOf, runNightly } from './nightly-run.js';
export type { NightSync, NightlyRunDependencies, NightlyRunResult, PostDays, PostDaysRequest, PostDaysResult, SyncStep } from './nightly-run.js';
export { queuedNightSteps, type QueuedNightOptions } from './queued-night.js';
export { runQueuedPost } from './queued-post.js';
export { runQueuedSchedule } from './queued-schedule.js';
