/** The scheduled night (`schedule`): sync as of the last ended day, then post the synced days, in this process or through the job queue's workers. */
export { localNightSteps } from './local-night.js';
export { runNightly } from './nightly-run.js';
export { type NightlyRunResult } from './nightly-run.js';
export { lastClosedPeriodCheck } from './closed-period-drift.js';
export { runQueuedPost } from './queued-post.js';
export { runQueuedSchedule } from './queued-schedule.js';
