export {
  JOB_KINDS,
  JobQueue,
  type EnqueueOptions,
  type JobKind,
  type JobState,
  type JobStatus,
  type QueueOptions,
} from './job-queue.js';
