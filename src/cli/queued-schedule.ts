import type { Config, ScheduleConfig } from '../config/index.js';
import { EXIT, type ExitCode } from '../errors.js';
import { createSystemClock } from '../http/clock.js';
import { defaultAsOf, yesterdayIn } from '../pipeline/calendar.js';
import { postKey, type PostJob } from '../pipeline/queued-post.js';
import { enqueueCloses, waitForCloses, waitForJobs } from '../pipeline/queued-sync.js';
import { JobQueue } from '../queue/index.js';
import { lockQueueSetup } from '../store/index.js';
import type { CommandContext } from './command.js';
import { waitForStop } from './wait-for-stop.js';

/** The night's job waits for its closes and posts: it must outlive them, and is never run twice (pg-boss's bound is 24 h). */
const NIGHTLY_JOB_EXPIRY_SECONDS = 23 * 60 * 60;
/** As `sync --queue`: a close still running after this is taken for dead and retried, up to this many times. */
const CLOSE_JOB_EXPIRY_SECONDS = 15 * 60;
const CLOSE_JOB_RETRIES = 10;
/** As `post --queue`. */
const POST_JOB_EXPIRY_SECONDS = 30 * 60;
const POST_JOB_RETRIES = 3;
/** How long the night waits for the workers' closes, and then for each post. */
const WAIT_MS = 6 * 60 * 60 * 1000;
const POLL_MS = 500;

/**
 * `schedule` with `schedule.queue: true`: the night's job is kept in the queue's own schedule, so one night
 * is enqueued once however many schedulers run; whichever scheduler takes it enqueues that night's close of
 * every source, waits for the workers, then enqueues the posts of `schedule.post` up to that day.
 */
export async function runQueuedSchedule(context: CommandContext, config: Config, schedule: ScheduleConfig): Promise<ExitCode> {
  const queue = await JobQueue.open(config.ledger, { setupLock: () => lockQueueSetup(config.ledger), supervise: false, schedule: true, onError: (message) => context.logger.warn(message) });
  try {
    await queue.schedule('nightly', schedule.cron, schedule.timezone, { expireInSeconds: NIGHTLY_JOB_EXPIRY_SECONDS, retryLimit: 0 });
    await queue.work('nightly', 1, () => enqueueNight(context, config, schedule, queue));
    context.logger.info(`scheduled "${schedule.cron}" in ${schedule.timezone} on the job queue; \`ledgerline worker\`s run the night's closes and posts`);
    await waitForStop(context.stopSignal);
    context.logger.info('stopping: waiting for the night in hand to be handed out');
  } finally {
    await queue.stop();
  }
  return EXIT.ok;
}

async function enqueueNight(context: CommandContext, config: Config, schedule: ScheduleConfig, queue: JobQueue): Promise<{ day: string }> {
  const day = config.sandboxClock === undefined ? yesterdayIn(schedule.timezone, context.now()) : await defaultAsOf(config, context.now());
  const limits = { clock: createSystemClock(), maxWaitMs: WAIT_MS, pollMs: POLL_MS };
  const closes = await enqueueCloses(
    queue,
    config.sources.map((source) => source.id),
    day,
    { expireInSeconds: CLOSE_JOB_EXPIRY_SECONDS, retryLimit: CLOSE_JOB_RETRIES },
  );
  context.logger.info(`the night of ${day}: queued the closes of ${closes.length} sources`);
  await waitForCloses(queue, closes, limits);
  for (const destination of schedule.post) {
    const job: PostJob = { destination, until: day };
    const { id } = await queue.enqueue('post', postKey(job), job, { expireInSeconds: POST_JOB_EXPIRY_SECONDS, retryLimit: POST_JOB_RETRIES });
    context.logger.info(`the night of ${day}: queued the post to ${destination}`);
    await waitForJobs(queue, 'post', [{ id, name: destination }], `the night's post to ${destination}`, limits);
  }
  return { day };
}
