import { z } from 'zod';
import { sourceKinds } from '../pipeline/kinds/index.js';
import type { Config } from '../config/index.js';
import {
  ConfigError,
  LedgerlineError,
  RunInProgressError,
  SourceCloseFailedError,
  UsageError,
  messageOf,
} from '../errors.js';
import { PostJobSchema, type PostJobOutput, type PostReport } from '../pipeline/post/index.js';
import { findingsOf, runRecords } from '../pipeline/runs/index.js';
import { CloseJobSchema, failureOf, syncNight, parkedSources, syncBooks } from '../pipeline/sync/index.js';
import type { JobQueue } from '../queue/index.js';
import type { locks } from '../store/index.js';
import type { AppProcess } from './app-process.js';
import type { Books } from './books.js';
import { runRecorded } from './run-recorded.js';
import { jobConfiguration, type ConfigurationSource, type ReadConfiguration } from './worker-configuration.js';
import { postTo } from './post-to.js';

/** One entity's books and source locks (the configuration's own when it has no `entities:`, `entity` undefined). */
export interface EntityBooks {
  entity: string | undefined;
  books: Books;
  sourceLocks: locks.SourceLocks;
}

/** How a worker's jobs read their configuration: the command's ways. */
export interface WorkerWiring {
  /** A close job's: the file found afresh, and an entity's configuration read whole from it. */
  configuration: ConfigurationSource;
  /** A post job's: the entity's configuration with the destination's section and the alerts. */
  postConfiguration(entity: string | undefined, destination: string): Config;
}

/** Starts taking close jobs (each in its entity's books), the dead letters of closes (parking), and post jobs. */
export async function takeJobs(
  context: AppProcess,
  queue: JobQueue,
  jobLocks: locks.JobLocks,
  entities: readonly EntityBooks[],
  concurrency: number,
  read: ReadConfiguration,
  wiring: WorkerWiring,
): Promise<void> {
  await queue.work('close', concurrency, async (data, taken) => {
    await jobLocks.hold(taken.lane, taken.tryId);
    return takeClose(context, entities, { source: wiring.configuration, read }, data);
  });
  await queue.workDeadLetters('close', (data, output) => parkSource(context, entities, data, output));
  // Posts hold the ledger's run lock, one at a time across the ledger: a second lane would only wait on it.
  await queue.work('post', 1, async (data, taken) => {
    await jobLocks.hold(concurrency + taken.lane, taken.tryId);
    return takePost(context, entities, wiring, data);
  });
  const served = entities.length > 1 ? ` for ${entities.length} entities` : '';
  context.logger.info(
    `taking close jobs${served}, ${concurrency} at a time, and post jobs; SIGTERM finishes the jobs in hand and stops`,
  );
}

/**
 * The books of the entity a job names (`what`: "the close of panel-01 for 2026-03-02"). A job naming an entity this
 * worker's configuration lacks (or none, when it has entities) was queued under another configuration: refused,
 * naming both (a close is retried; a post returns the refusal to the command that queued it).
 */
function entityOf(
  entities: readonly EntityBooks[],
  job: { entity?: string | undefined },
  what: string,
  file: string,
): EntityBooks {
  const found = entities.find((candidate) => candidate.entity === job.entity);
  if (found !== undefined) return found;
  const known = entities.flatMap((candidate) => candidate.entity ?? []);
  throw new ConfigError([
    {
      file,
      path: 'entities',
      message:
        `${known.length === 0 ? 'is not set' : `names ${known.join(', ')}`}, but ${what} was queued ` +
        `${job.entity === undefined ? 'without an entity' : `for entity ${job.entity}`}: every worker needs the configuration the jobs were queued with`,
    },
  ]);
}

/**
 * One close job: the source's sync of the day, as a local `sync --source` runs it, recorded as a `close`
 * run and holding that source's lock (not the whole ledger's). A throw fails the job, which is retried; a source
 * that failed is recorded as tried, then thrown for (SourceCloseFailedError), so the queue parks it after its last try.
 */
async function takeClose(
  context: AppProcess,
  entities: readonly EntityBooks[],
  configuration: { source: ConfigurationSource; read: ReadConfiguration },
  data: unknown,
): Promise<{ runId: string }> {
  const parsed = CloseJobSchema.safeParse(data);
  if (!parsed.success) throw new UsageError(`a close job on the queue cannot be read: ${parsed.error.message}`);
  const job = parsed.data;
  let runId = '';
  let failure: string | undefined;
  try {
    const { config, chart, taxBook } = jobConfiguration(configuration.source, job, configuration.read);
    const { books, sourceLocks } = entityOf(entities, job, `the close of ${job.sourceId} for ${job.day}`, config.file);
    if (!config.sources.some((source) => source.id === job.sourceId)) {
      throw new ConfigError([
        {
          file: config.file,
          path: 'sources',
          message: `has no source ${job.sourceId}, which a queued close names: every worker needs the configuration the closes were queued with`,
        },
      ]);
    }
    await runRecorded(
      context,
      books.of(runRecords),
      {
        command: 'close',
        asOf: job.day,
        lock: { kind: 'source', hold: () => sourceLocks.lock(job.sourceId) },
        // Unpinged (no config): the entity's check is the night's; a close's /0 would clear another's failure.
      },
      async (run) => {
        runId = run.runId;
        const outcome = await syncNight(
          {
            ...sourceKinds.forSync(),
            config,
            ledger: books.ledger,
            runs: books.of(runRecords),
            chart,
            taxBook,
            logger: context.logger,
            now: context.now,
            clock: context.clock,
            redact: context.redact,
            runId,
          },
          { asOf: job.day, sourceIds: [job.sourceId], dryRun: false, ordersFile: job.ordersFile },
          books.of(syncBooks),
        );
        failure = outcome.summary.sources.find((source) => source.outcome === 'failed')?.error;
        // The run record carries the findings and alert items: `sync --queue` reads them back and alerts once for the night.
        return {
          exitCode: outcome.exitCode,
          summary: { ...outcome.summary, findings: findingsOf(outcome.report), alertItems: outcome.alertItems },
        };
      },
    );
    if (failure !== undefined && job.onSourceFailure === 'park') throw new SourceCloseFailedError(failure);
  } catch (error) {
    // The queue keeps the error with the job and retries it; the worker's log is where an operator looks first.
    context.logger.warn(
      `the close of ${job.sourceId} for ${job.day} failed and goes back to the queue: ` +
        `${context.redact(messageOf(error))}`,
    );
    throw error;
  }
  return { runId };
}

/**
 * A close that failed in every try, from the dead-letter queue: failed at its source, the source is parked with the
 * reason (`sync --queue` leaves it out, `status` shows it); any other failure was the worker's, and only logged.
 */
async function parkSource(
  context: AppProcess,
  entities: readonly EntityBooks[],
  data: unknown,
  output: unknown,
): Promise<void> {
  const job = CloseJobSchema.safeParse(data);
  if (!job.success) return;
  const reason = failureOf(output);
  if (!z.object({ name: z.literal('SourceCloseFailedError') }).safeParse(output).success) {
    context.logger.warn(`the close of ${job.data.sourceId} for ${job.data.day} failed in every try: ${reason}`);
    return;
  }
  // Parked in its entity's own ledger, where that entity's `status --fleet` and queued nights read it.
  const books = entities.find((candidate) => candidate.entity === job.data.entity)?.books;
  if (books === undefined) {
    context.logger.warn(
      `could not park ${job.data.sourceId}: this worker books no entity ${job.data.entity ?? '(none)'}`,
    );
    return;
  }
  await books.of(parkedSources).park(job.data.sourceId, { reason, day: job.data.day }, context.now());
  context.logger.warn(`parked ${job.data.sourceId}: its close of ${job.data.day} failed in every try: ${reason}`);
}

/**
 * One post job: the post a local `post xero|quickbooks [--entity NAME]` runs, in the job's entity's ledger to that
 * entity's organisation, recorded as a `post` run under that ledger's run lock. A refusal (an entity this worker
 * lacks, an organisation the destination does not fit, a configuration error) is the job's output, so the queued
 * post reports it as a local one would; a post locked out by another run throws, and is retried.
 */
async function takePost(
  context: AppProcess,
  entities: readonly EntityBooks[],
  wiring: WorkerWiring,
  data: unknown,
): Promise<PostJobOutput> {
  const parsed = PostJobSchema.safeParse(data);
  if (!parsed.success) throw new UsageError(`a post job on the queue cannot be read: ${parsed.error.message}`);
  const job = parsed.data;
  let shown: Pick<PostJobOutput, 'name' | 'report'> = { name: job.destination };
  try {
    entityOf(entities, job, `the post to ${job.destination}`, wiring.configuration.file());
    const config = wiring.postConfiguration(job.entity, job.destination);
    const exitCode = await postTo(
      context,
      config,
      job.destination,
      { from: job.from, until: job.until },
      {
        dryRun: false,
        // Redacted here, where the destination's secrets are known: the queued post prints it as it is.
        show: (name, result) => {
          if (result.kind === 'posted')
            shown = { name, report: JSON.parse(context.redact(JSON.stringify(result.report))) as PostReport };
        },
      },
    );
    return { ...shown, exitCode };
  } catch (error) {
    if (!(error instanceof LedgerlineError) || error instanceof RunInProgressError) throw error;
    return { ...shown, exitCode: error.exitCode, error: context.redact(error.message), errorClass: error.name };
  }
}
