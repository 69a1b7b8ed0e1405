import type { AlertSender } from '../../alerts/alert-sender.js';
import { configFingerprint, type Config, type ScheduleConfig } from '../../config/index.js';
import type { Clock } from '../../http/index.js';
import type { Logger } from '../../log/index.js';
import { JobQueue } from '../../queue/index.js';
import { locks } from '../../store/index.js';
import type { RunRecords } from '../runs/index.js';
import { runNightly, type NightlyRunDependencies, type NightlyRunResult } from './nightly-run.js';
import type { ExitCode } from '../../errors.js';
import { queuedNightSteps, type QueuedNightOptions } from './queued-night.js';

/** The night's job waits for its closes and posts: it must outlive them, and is never run twice (pg-boss's bound is 24 h). */
const NIGHTLY_JOB_EXPIRY_SECONDS = 23 * 60 * 60;
/** As `sync --queue`: a close still running after this is taken for dead and retried, up to this many times. */
const CLOSE_JOBS = { expireInSeconds: 15 * 60, retryLimit: 10 };
/** As `post --queue`. */
const POST_JOBS = { expireInSeconds: 30 * 60, retryLimit: 3 };
/** How long the night waits for the workers' closes, and then for each post. */
const WAIT_MS = 6 * 60 * 60 * 1000;
const POLL_MS = 500;

interface QueuedScheduleDependencies {
  /** The first entity's configuration (the file's own without `entities:`): its database holds the queue and the night's record. */
  config: Config;
  schedule: ScheduleConfig;
  /** The night's run record, in the first entity's ledger. */
  runs: RunRecords;
  /** Every entity the night closes and posts (its sources, where its closes are read back, its parked sources). */
  entities: QueuedNightOptions['entities'];
  /** After each night (the digest, when one is due). */
  afterNight?: () => Promise<void>;
  alerts: AlertSender;
  logger: Logger;
  now: () => Date;
  /** What the night's waits for the workers sleep on. */
  clock: Clock;
  redact: (text: string) => string;
  /** Asks the night in hand to finish its step and skip the rest. */
  stopSignal: AbortSignal;
  /** Resolves when the process is asked to stop. */
  untilStopped: () => Promise<void>;
  /** The payouts and top-ups late as of the night's day, alerted with its discrepancies (runNightly's). */
  lateMoneyInTransit?: NightlyRunDependencies['lateMoneyInTransit'];
  /** The closed periods' drift against their certificates, alerted once per finding (runNightly's). */
  closedPeriodDrift?: NightlyRunDependencies['closedPeriodDrift'];
  chainHead?: NightlyRunDependencies['chainHead'];
  /** Runs each night between its monitor pings (the fleet's check and each entity's with entities:, else the ledger's), as a local night is. */
  pinged?: (night: () => Promise<QueuedNightResult>) => Promise<QueuedNightResult>;
}

/** The night as runNightly ends it, and each entity's exit code for its own check. */
interface QueuedNightResult extends NightlyRunResult {
  /**
   * Each entity's code from its own closes and posts (the night's code where its part did not finish): north's parked
   * panel makes north's 3 and the night's 3, while south, whose sources all closed and posted, gets 0.
   */
  entityExitCode: (entity: string | undefined) => ExitCode;
}

/**
 * `schedule` with `schedule.queue: true`: the night's job is kept in the queue's own schedule, so one night
 * is enqueued once however many schedulers run. Whichever scheduler takes it runs the night as a local
 * scheduler does (runNightly: recorded as a `schedule` run, posted, alerted), with its closes and posts
 * handed to `ledgerline worker`s through the queue: one night over every entity, recorded and alerted once
 * (in and from the first entity's ledger). Returns once the process is asked to stop.
 */
export async function runQueuedSchedule(deps: QueuedScheduleDependencies): Promise<void> {
  const { config, schedule, logger } = deps;
  const queue = await JobQueue.open(config.ledger, {
    setupLock: () => locks.holdQueueSetup(config.ledger),
    supervise: false,
    schedule: true,
    onError: (message) => logger.warn(message),
  });
  try {
    await queue.schedule('nightly', schedule.cron, schedule.timezone, {
      expireInSeconds: NIGHTLY_JOB_EXPIRY_SECONDS,
      retryLimit: 0,
    });
    await queue.work('nightly', 1, () => queuedNight(deps, queue));
    logger.info(
      `scheduled "${schedule.cron}" in ${schedule.timezone} on the job queue; \`ledgerline worker\`s run the night's closes and posts`,
    );
    await deps.untilStopped();
    logger.info('stopping: waiting for the night in hand to finish its step');
  } finally {
    await queue.stop();
  }
}

/** One night taken from the queue's schedule; the job's output names the run it recorded. */
async function queuedNight(deps: QueuedScheduleDependencies, queue: JobQueue): Promise<{ day: string; runId: string }> {
  const { config } = deps;
  const { entityExitCodes, ...steps } = queuedNightSteps({
    queue,
    entities: deps.entities,
    closeJobs: { ...CLOSE_JOBS, configFingerprint: configFingerprint(config.file) },
    postJobs: POST_JOBS,
    limits: { clock: deps.clock, maxWaitMs: WAIT_MS, pollMs: POLL_MS },
  });
  const run = async (): Promise<QueuedNightResult> => {
    const night = await runNightly({
      ...deps,
      sandboxClock: config.sandboxClock,
      ...steps,
      tokenExpiry: { tokenStorePath: config.tokenStore, withinDays: config.alerts.tokenExpiryDays },
      // The night writes only its record; each worker holds the lock of the source it closes, a post the ledger's.
      lock: { choice: { kind: 'none' } },
    });
    const ownCodes = night.refused ? new Map<string | undefined, ExitCode>() : entityExitCodes;
    return { ...night, entityExitCode: (entity) => ownCodes.get(entity) ?? night.exitCode };
  };
  const night = await (deps.pinged === undefined ? run() : deps.pinged(run));
  await deps.afterNight?.();
  return { day: night.asOf, runId: night.runId };
}
