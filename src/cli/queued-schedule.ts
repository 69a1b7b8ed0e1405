import { configFingerprint, type Config, type ScheduleConfig } from '../config/index.js';
import { EXIT, type ExitCode } from '../errors.js';
import { createSystemClock } from '../http/clock.js';
import type { LedgerStore } from '../ledger/index.js';
import { runNightly, queuedNightSteps } from '../pipeline/nightly/index.js';
import { JobQueue } from '../queue/index.js';
import { lockQueueSetup } from '../store/index.js';
import type { CommandContext } from './command.js';
import { alertSender } from './configured-alerts.js';
import { withLedgerStore } from './load.js';
import { waitForStop } from './wait-for-stop.js';

/** The night's job waits for its closes and posts: it must outlive them, and is never run twice (pg-boss's bound is 24 h). */
const NIGHTLY_JOB_EXPIRY_SECONDS = 23 * 60 * 60;
/** As `sync --queue`: a close still running after this is taken for dead and retried, up to this many times. */
const CLOSE_JOBS = { expireInSeconds: 15 * 60, retryLimit: 10 };
/** As `post --queue`. */
const POST_JOBS = { expireInSeconds: 30 * 60, retryLimit: 3 };
/** How long the night waits for the workers' closes, and then for each post. */
const WAIT_MS = 6 * 60 * 60 * 1000;
const POLL_MS = 500;

/**
 * `schedule` with `schedule.queue: true`: the night's job is kept in the queue's own schedule, so one night
 * is enqueued once however many schedulers run. Whichever scheduler takes it runs the night as a local
 * scheduler does (runNightly: recorded as a `schedule` run, posted, alerted), with its closes and posts
 * handed to `ledgerline worker`s through the queue.
 */
export async function runQueuedSchedule(context: CommandContext, config: Config, schedule: ScheduleConfig): Promise<ExitCode> {
  return withLedgerStore(config, async (store) => {
    const queue = await JobQueue.open(config.ledger, { setupLock: () => lockQueueSetup(config.ledger), supervise: false, schedule: true, onError: (message) => context.logger.warn(message) });
    try {
      await queue.schedule('nightly', schedule.cron, schedule.timezone, { expireInSeconds: NIGHTLY_JOB_EXPIRY_SECONDS, retryLimit: 0 });
      await queue.work('nightly', 1, () => queuedNight(context, config, schedule, store, queue));
      context.logger.info(`scheduled "${schedule.cron}" in ${schedule.timezone} on the job queue; \`ledgerline worker\`s run the night's closes and posts`);
      await waitForStop(context.stopSignal);
      context.logger.info('stopping: waiting for the night in hand to finish its step');
    } finally {
      await queue.stop();
    }
    return EXIT.ok;
  });
}

/** One night taken from the queue's schedule; the job's output names the run it recorded. */
async function queuedNight(context: CommandContext, config: Config, schedule: ScheduleConfig, store: LedgerStore, queue: JobQueue): Promise<{ day: string; runId: string }> {
  const steps = queuedNightSteps({
    queue,
    legacyStore: store,
    sourceIds: config.sources.map((source) => source.id),
    closeJobs: { ...CLOSE_JOBS, configFingerprint: configFingerprint(config.file) },
    postJobs: POST_JOBS,
    limits: { clock: createSystemClock(), maxWaitMs: WAIT_MS, pollMs: POLL_MS },
  });
  const night = await runNightly({
    legacyStore: store,
    schedule,
    sandboxClock: config.sandboxClock,
    ...steps,
    alerts: alertSender(context, config),
    tokenExpiry: { tokenStorePath: config.tokenStore, withinDays: config.alerts.tokenExpiryDays },
    logger: context.logger,
    now: context.now,
    stopSignal: context.stopSignal,
    redact: context.redact,
    // The night writes only its record; each worker holds the lock of the source it closes, a post the ledger's.
    lock: { choice: { kind: 'none' } },
  });
  return { day: night.asOf, runId: night.runId };
}
