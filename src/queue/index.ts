export { JobQueue, type EnqueueOptions, type JobKind, type JobStatus } from './job-queue.js';
