import { z } from 'zod';
import { findConfigFile } from '../../config/index.js';
import { EXIT, messageOf } from '../../errors.js';
import { undici } from '../../http/index.js';
import { JobQueue } from '../../queue/index.js';
import { locks } from '../../store/index.js';
import type { Command, CommandProcess } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { loadConfigFor, loadEachEntityConfigFor, withEachBooks } from '../../app/configured-books.js';
import { queueLedgerFor, requirePostgresLedgers } from '../entity-queue.js';
import { readAtStart } from '../../app/worker-configuration.js';
import { holdLedgerUntilStop } from '../../app/hold-until-stop.js';
import { takeJobs, type EntityBooks, type WorkerWiring } from '../../app/worker-jobs.js';

/** How often a worker looks for running jobs whose worker died (watchForDeadWorkers). */
const WATCH_MS = 2000;
/** A job this young may not hold its lock yet: it is not judged. */
const GRACE_SECONDS = 3;

/** How long a close job waits for another worker still closing the same source before it fails (and is retried). */
const SOURCE_LOCK_WAIT_MS = 60_000;

export const workerCommand: Command = withFlags({
  usage: 'ledgerline worker [--concurrency N] [--expiry-check SECONDS]',
  flags: z.object({
    concurrency: flag.wholeNumber('N', 'close jobs run at once by this worker (default 1)', 1).default(1),
    'expiry-check': flag
      .wholeNumber('S', "how often jobs past their expiry (a stuck worker's) are retried (default 60)", 1)
      .default(60),
  }),
  examples: [
    'ledgerline worker --concurrency 4      # on each machine; `ledgerline sync --queue` hands out the closes, `post --queue` the posts',
  ],
  async run(context) {
    const { concurrency, 'expiry-check': expiryCheck } = context.flags;
    const configs = loadEachEntityConfigFor(context, { sources: 'all' });
    requirePostgresLedgers(configs, 'ledgerline worker');
    const queueLedger = queueLedgerFor(context, configs[0]!);
    return withEachBooks(configs, context.ledger, async (booksOfEach) => {
      // Each entity's source locks in its own ledger, where a local sync of it takes them; they connect only when a close takes its first lock.
      const entities: EntityBooks[] = [];
      for (const [index, config] of configs.entries())
        entities.push({
          entity: config.entity,
          books: booksOfEach[index]!,
          sourceLocks: await locks.openSources(config.ledger, { waitMs: SOURCE_LOCK_WAIT_MS, sessions: concurrency }),
        });
      const queue = await JobQueue.open(queueLedger, {
        setupLock: () => locks.holdQueueSetup(queueLedger),
        supervise: true,
        maintenanceIntervalSeconds: expiryCheck,
        onError: (message) => context.logger.warn(message),
        // Each lane, the post lane, the upkeep and the wake-up's LISTEN on a connection of their own.
        connections: concurrency + 3,
        asyncCommit: true,
      });
      const jobLocks = await locks.openJobs(queueLedger);
      const watch = watchForDeadWorkers(context, queue, jobLocks);
      loadWhatClosesUse();
      try {
        await takeJobs(context, queue, jobLocks, entities, concurrency, readAtStart(configs), workerWiring(context));
        await holdLedgerUntilStop(context, queueLedger, 'worker');
        context.logger.info('stopping: finishing the jobs in hand');
      } finally {
        clearInterval(watch);
        await queue.stop();
        await jobLocks.close();
        for (const { sourceLocks } of entities) await sourceLocks.close();
      }
      return EXIT.ok;
    });
  },
});

/**
 * The worker's configuration file, found again for each job, an entity's configuration read from it (whole for a
 * close, with the destination's section and the alerts for a post).
 */
function workerWiring(context: CommandProcess): WorkerWiring {
  return {
    configuration: {
      file: () => findConfigFile({ path: context.configPath, env: context.env, cwd: context.cwd }).file,
      load: (entity) => loadConfigFor({ ...context, entity }, { sources: 'all' }),
    },
    postConfiguration: (entity, destination) =>
      loadConfigFor({ ...context, entity }, { destinations: [destination], alerts: true }),
  };
}

/**
 * The HTTP client's library, loaded before the worker says it takes jobs rather than by its first close: every close
 * asks its source, and a worker started before the night should not spend the night's first seconds compiling it.
 */
function loadWhatClosesUse(): void {
  undici();
}

/**
 * Every WATCH_MS, the jobs running for GRACE_SECONDS or more whose job lock no session holds: their worker
 * died (its session, and so its lock, went with it). Each is failed at once, so the queue retries it within
 * seconds, where pg-boss alone waits for the job's expiry (15 minutes by default). The grace covers the
 * moment between a worker taking a job and holding its lock.
 */
function watchForDeadWorkers(context: CommandProcess, queue: JobQueue, jobLocks: locks.JobLocks): NodeJS.Timeout {
  let looking = false;
  const look = async () => {
    if (looking) return;
    looking = true;
    try {
      for (const kind of ['close', 'post'] as const) {
        const gone = await jobLocks.abandoned(await queue.runningSince(kind, GRACE_SECONDS));
        if (gone.length === 0) continue;
        await queue.failRunning(
          kind,
          gone,
          'its worker died (the lock it held on the job was let go with its database session); retried',
        );
        context.logger.warn(`${gone.length} ${kind} job(s) whose worker died go back to the queue: ${gone.join(', ')}`);
      }
    } catch (error) {
      context.logger.warn(`could not look for the jobs of dead workers: ${context.redact(messageOf(error))}`);
    } finally {
      looking = false;
    }
  };
  const timer = setInterval(() => void look(), WATCH_MS);
  timer.unref();
  return timer;
}
