import { createHash } from 'node:crypto';
import type PgBoss from 'pg-boss';
import { z } from 'zod';
import { describePostgresUrl } from '../config/index.js';
import { LedgerStorageError, messageOf, messageWithoutUrl } from '../errors.js';
import { withoutWaitingCommits } from './queue-connection.js';
import { announce, QueueWake, wakeChannel } from './queue-wake.js';

/** The kinds of job ledgerline queues, one pg-boss queue each. */
const JOB_KINDS = ['close', 'post', 'nightly'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/**
 * The kinds whose jobs are keyed (a close: by its source). pg-boss 10's `singleton` policy keeps one job of a key
 * active at a time (two nights of one source never run at once; the second waits, it is not dropped), and a job
 * that fails in every try moves to the kind's dead-letter queue. pg-boss 11's `key_strict_fifo` would also keep a
 * key's later jobs behind one in retry; it needs a newer Node, so here a source's later night waits only while its
 * earlier one runs (see docs/architecture.md, "The queue").
 */
const KEYED_KINDS: readonly JobKind[] = ['close'];

/** pg-boss keeps its tables in this schema of the ledger's database, apart from the ledger's own. */
const QUEUE_SCHEMA = 'ledgerline_queue';
/** A job whose handler is still running this long after SIGTERM is failed (and retried); pg-boss's own bound on a job's expiry. */
const MAX_JOB_HOURS = 24;
const STOP_WAIT_MS = MAX_JOB_HOURS * 60 * 60 * 1000;
/**
 * How often a scheduler looks whether a schedule is due (one UPDATE, won by one scheduler however many run);
 * pg-boss lets one send a minute through for each due job. 5 s, not 15: the night starts seconds after its time.
 */
const CRON_CHECK_SECONDS = 5;
/** How often a scheduler hands a due job it found to its queue (pg-boss's default is 5 s; one cheap poll a second). */
const CRON_SEND_SECONDS = 1;
/** How often an idle worker asks for a job (pg-boss's minimum). */
const POLLING_INTERVAL_SECONDS = 0.5;

const JobStateSchema = z.enum(['created', 'retry', 'active', 'completed', 'cancelled', 'failed']);
type JobState = z.infer<typeof JobStateSchema>;
const FINISHED_STATES: readonly JobState[] = ['completed', 'cancelled', 'failed'];
/** Rows read from pg-boss 10's job and archive tables, through its own connection pool (getDb). */
const StateRowsSchema = z.array(z.object({ id: z.string(), state: JobStateSchema }));
const StatusRowsSchema = z.array(z.object({ id: z.string(), state: JobStateSchema, output: z.unknown() }));

export interface JobStatus {
  id: string;
  state: JobState | 'missing';
  /** What the handler returned (completed), or the error it failed with (failed), as pg-boss stored it. */
  output: unknown;
}

export interface EnqueueOptions {
  /** A job still active this long after it started is taken for dead (its worker killed) and retried. */
  expireInSeconds: number;
  /** How many times a failed or expired job is tried again. */
  retryLimit: number;
  /** Seconds before the first try again (default 1); with `retryBackoff`, doubled at each further try. */
  retryDelaySeconds?: number | undefined;
  retryBackoff?: boolean | undefined;
}

/** A job to enqueue: its key (its id comes from it), its data, and, on a keyed kind, the key one job of which runs at a time. */
interface QueuedJob {
  key: string;
  data: Record<string, string>;
  singletonKey?: string | undefined;
}

interface QueueOptions {
  /** A worker also runs the queue's upkeep: expiring the jobs of killed workers, archiving finished ones. */
  supervise: boolean;
  /** How often the upkeep runs (it runs once across all workers, whichever gets there first). */
  maintenanceIntervalSeconds?: number | undefined;
  /** Held while pg-boss sets up its schema and queues: two processes doing that at once can deadlock (locks.holdQueueSetup in store/). */
  setupLock: () => Promise<{ release(): Promise<void> }>;
  /** This process also watches the queue's schedules (`schedule`) and enqueues their jobs when due: a scheduler. */
  schedule?: boolean | undefined;
  /** Told of an error pg-boss reports from its background work (a lost connection); already without the ledger URL. */
  onError: (message: string) => void;
  /** Connections of the queue's pool (default 4): a worker's lanes each take and finish jobs on one, its upkeep on another. */
  connections?: number | undefined;
  /**
   * The queue's own bookkeeping (a job taken, finished, failed) commits without waiting for the disk: a worker's.
   * A server crash may then forget the last of it, and the job is run again, as after a worker's crash: a close
   * is idempotent and its source lock keeps two apart. The ledger's own commits always wait (see store/).
   */
  asyncCommit?: boolean | undefined;
}

/**
 * The work queue in the ledger's PostgreSQL database, on pg-boss: one queue per job kind, one job per
 * key (a source and day, a destination and window). The job's id is derived from its key, so enqueueing a key whose job is waiting
 * or running is a no-op, and every enqueuer knows the id to wait on.
 */
export class JobQueue {
  /** The completions a lane announces while it goes on to its next job. */
  private readonly announcing = new Set<Promise<void>>();

  private constructor(
    private readonly boss: PgBoss,
    private readonly shown: string,
    private readonly wake: QueueWake,
    /** Tells `what` failed with `error` (onError, the URL cut out of the message). */
    private readonly told: (what: string, error: unknown) => void,
  ) {}

  static async open(url: string, options: QueueOptions): Promise<JobQueue> {
    const shown = describePostgresUrl(url);
    // Imported here, not at the top: every command that never queues (export, report, …) paid ~50 ms to load it.
    const { default: Boss } = await import('pg-boss');
    const boss = new Boss({
      connectionString: options.asyncCommit === true ? withoutWaitingCommits(url) : url,
      schema: QUEUE_SCHEMA,
      application_name: 'ledgerline queue',
      max: options.connections ?? 4,
      supervise: options.supervise,
      schedule: options.schedule ?? false,
      cronMonitorIntervalSeconds: CRON_CHECK_SECONDS,
      cronWorkerIntervalSeconds: CRON_SEND_SECONDS,
      ...(options.maintenanceIntervalSeconds === undefined
        ? {}
        : { maintenanceIntervalSeconds: options.maintenanceIntervalSeconds }),
    });
    boss.on('error', (error) => options.onError(`the job queue on ${shown}: ${messageWithoutUrl(error, url)}`));
    let setupLock: { release(): Promise<void> } | undefined;
    try {
      setupLock = await options.setupLock();
      await boss.start();
      for (const kind of JOB_KINDS) await ensureQueue(boss, kind);
    } catch (error) {
      await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
      throw new LedgerStorageError(
        `cannot open the job queue on the PostgreSQL ledger ${shown}: ${messageWithoutUrl(error, url)}`,
      );
    } finally {
      await setupLock?.release();
    }
    const wakeFailed = (error: Error) =>
      options.onError(
        `the job queue's wake-up on ${shown} (jobs are still found by polling): ${messageWithoutUrl(error, url)}`,
      );
    return new JobQueue(boss, shown, new QueueWake(boss, wakeFailed), options.onError);
  }

  /**
   * Enqueues the job of `key` unless it is waiting or running; a finished job of the key is replaced, so
   * the same key can be run again another night. Returns the job's id and whether this call enqueued it.
   */
  async enqueue(
    kind: JobKind,
    key: string,
    data: Record<string, string>,
    options: EnqueueOptions,
  ): Promise<{ id: string; enqueued: boolean }> {
    const [queued] = await this.enqueueAll(kind, [{ key, data }], options);
    return queued!;
  }

  /**
   * As `enqueue` for each job, in three statements whatever their number (a night of hundreds of sources
   * would otherwise make a thousand round trips before its first job). Two enqueuers racing on a key still
   * leave one job (pg-boss's insert skips an id it already holds), though both may report it as theirs.
   */
  async enqueueAll(
    kind: JobKind,
    jobs: readonly QueuedJob[],
    options: EnqueueOptions,
  ): Promise<{ id: string; enqueued: boolean }[]> {
    const name = queueName(kind);
    const ids = jobs.map((job) => jobIdOf(kind, job.key));
    try {
      const { rows } = await this.boss
        .getDb()
        .executeSql(`SELECT id, state FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND id = ANY($2::uuid[])`, [name, ids]);
      const states = new Map(StateRowsSchema.parse(rows).map((row) => [row.id, row.state]));
      const waiting = new Set(ids.filter((id) => states.has(id) && !FINISHED_STATES.includes(states.get(id)!)));
      const finished = ids.filter((id) => states.has(id) && !waiting.has(id));
      if (finished.length > 0) await this.boss.deleteJob(name, finished);
      const inserts = jobs
        .map((job, index) => ({
          id: ids[index]!,
          name,
          data: job.data,
          expireInSeconds: options.expireInSeconds,
          retryLimit: options.retryLimit,
          retryDelay: options.retryDelaySeconds ?? 1,
          retryBackoff: options.retryBackoff ?? false,
          ...(job.singletonKey === undefined ? {} : { singletonKey: job.singletonKey }),
        }))
        .filter((job) => !waiting.has(job.id));
      if (inserts.length > 0) {
        await this.boss.insert(inserts);
        await announce(this.boss, wakeChannel(kind, 'queued'));
      }
      return ids.map((id) => ({ id, enqueued: !waiting.has(id) }));
    } catch (error) {
      throw this.storageError(`enqueue the ${kind} job${jobs.length === 1 ? ` ${jobs[0]!.key}` : 's'}`, error);
    }
  }

  /**
   * Keeps, in the database, a job of `kind` due on `cron` in `timezone` (replacing the kind's earlier
   * schedule): a scheduler process (opened with `schedule`) sends it once when due, however many run.
   */
  async schedule(kind: JobKind, cron: string, timezone: string, options: EnqueueOptions): Promise<void> {
    try {
      await this.boss.schedule(
        queueName(kind),
        cron,
        {},
        { tz: timezone, expireInSeconds: options.expireInSeconds, retryLimit: options.retryLimit },
      );
    } catch (error) {
      throw this.storageError(`schedule the ${kind} job`, error);
    }
  }

  /** Where each job stands, in one statement; a job no longer found (deleted by hand) is `missing`. */
  async statuses(kind: JobKind, ids: readonly string[]): Promise<JobStatus[]> {
    try {
      // A job replaced since it was archived is in both tables: its live row comes last, so it is the one kept.
      const { rows } = await this.boss.getDb().executeSql(
        `SELECT id, state, output, true AS live FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND id = ANY($2::uuid[])
         UNION ALL SELECT id, state, output, false AS live FROM ${QUEUE_SCHEMA}.archive WHERE name = $1 AND id = ANY($2::uuid[])
         ORDER BY live`,
        [queueName(kind), ids],
      );
      const found = new Map(StatusRowsSchema.parse(rows).map((row) => [row.id, row]));
      return ids.map((id) => {
        const job = found.get(id);
        return job === undefined
          ? { id, state: 'missing', output: undefined }
          : { id, state: job.state, output: job.output };
      });
    } catch (error) {
      throw this.storageError(`read the ${kind} jobs`, error);
    }
  }

  /**
   * Takes jobs of `kind` one at a time on each of `concurrency` lanes; what `handle` returns is kept as the
   * job's output, and a throw fails the job (retried up to its limit). A handler still running at the job's
   * expiry is failed by pg-boss (and retried) although it goes on: the caller's lock must guard against that.
   * `tryId` names this try of the job (its id and try number), as `runningSince` lists it.
   */
  async work(
    kind: JobKind,
    concurrency: number,
    handle: (data: unknown, taken: { jobId: string; tryId: string; lane: number }) => Promise<object>,
  ): Promise<void> {
    const name = queueName(kind);
    const lanes: string[] = [];
    for (let lane = 0; lane < concurrency; lane += 1) {
      let laneId: string | undefined;
      laneId = await this.boss.work(
        name,
        { batchSize: 1, pollingIntervalSeconds: POLLING_INTERVAL_SECONDS, includeMetadata: true },
        async ([job]) => {
          try {
            if (job === undefined) return {};
            const output = await handle(job.data, { jobId: job.id, tryId: tryIdOf(job.id, job.retryCount), lane });
            // Not awaited: the lane asks for its next job meanwhile (stop waits for it).
            const announced = this.completeAndAnnounce(kind, job.id, output);
            this.announcing.add(announced);
            void announced.finally(() => this.announcing.delete(announced));
            return output;
          } finally {
            // A lane that has just finished a job asks for the next at once, not after the rest of the polling interval.
            if (laneId !== undefined) this.boss.notifyWorker(laneId);
          }
        },
      );
      lanes.push(laneId);
    }
    // A job announced as queued is asked for at once by every idle lane, not at each lane's next poll.
    await this.wake.on(wakeChannel(kind, 'queued'), () => lanes.forEach((id) => this.boss.notifyWorker(id)));
  }

  /**
   * Resolves when one of the jobs of `kind` in `ids` is announced finished (completed by a worker), or when `stop`
   * aborts: a waiting enqueuer's sleep between two looks, which the night's last completion cuts short.
   */
  async finishNoticed(kind: JobKind, ids: ReadonlySet<string>, stop: AbortSignal): Promise<void> {
    await this.wake.noticed(wakeChannel(kind, 'done'), (id) => ids.has(id), stop);
  }

  /**
   * Completes the job with its output beside pg-boss's own completion after the handler returns (whichever commits
   * second finds the job completed and changes nothing), then announces it: the enqueuer waiting on it learns at once.
   * A failure here is only told: pg-boss's own completion stands.
   */
  private async completeAndAnnounce(kind: JobKind, id: string, output: object): Promise<void> {
    try {
      await this.boss.complete(queueName(kind), id, output);
      await announce(this.boss, wakeChannel(kind, 'done'), id);
    } catch (error) {
      this.told(`could not announce the ${kind} job ${id} as finished`, error);
    }
  }

  /**
   * Takes, one at a time, the jobs of `kind` that failed in every try (its dead-letter queue): `handle` is given
   * the job's data and the error it last failed with, as pg-boss kept it.
   */
  async workDeadLetters(kind: JobKind, handle: (data: unknown, output: unknown) => Promise<void>): Promise<void> {
    await this.boss.work(
      deadLetterName(kind),
      { batchSize: 1, pollingIntervalSeconds: POLLING_INTERVAL_SECONDS, includeMetadata: true },
      async ([job]) => {
        if (job !== undefined) await handle(job.data, job.output);
      },
    );
  }

  /**
   * The tries (`tryId`, as `work` hands them) of the jobs of `kind` running for at least `seconds` (their worker alive
   * or not). A try of its own: a lane holding the lock of a job's failed try must not hold back its next try elsewhere.
   */
  async runningSince(kind: JobKind, seconds: number): Promise<string[]> {
    try {
      const { rows } = await this.boss
        .getDb()
        .executeSql(
          `SELECT id, retry_count FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND state = 'active' AND started_on < now() - make_interval(secs => $2)`,
          [queueName(kind), seconds],
        );
      return z
        .array(z.object({ id: z.string(), retry_count: z.number() }))
        .parse(rows)
        .map((row) => tryIdOf(row.id, row.retry_count));
    } catch (error) {
      throw this.storageError(`read the running ${kind} jobs`, error);
    }
  }

  /** Fails the running tries `tryIds` with `message`, so each job is retried (up to its limit) as after a throw. */
  async failRunning(kind: JobKind, tryIds: readonly string[], message: string): Promise<void> {
    try {
      for (const tryId of tryIds) await this.boss.fail(queueName(kind), tryId.split('/')[0]!, { message });
    } catch (error) {
      throw this.storageError(`fail the ${kind} jobs of a dead worker`, error);
    }
  }

  /** Stops taking jobs, waits for those running to finish, and closes the queue's connections. */
  async stop(): Promise<void> {
    await Promise.all(this.announcing);
    await this.wake.close();
    await this.boss.stop({ graceful: true, wait: true, timeout: STOP_WAIT_MS });
  }

  static isFinished(state: JobStatus['state']): boolean {
    return state === 'missing' || FINISHED_STATES.includes(state);
  }

  private storageError(what: string, error: unknown): LedgerStorageError {
    return new LedgerStorageError(`could not ${what} on the PostgreSQL ledger ${this.shown}: ${messageOf(error)}`);
  }
}

function queueName(kind: JobKind): string {
  return `ledgerline_${kind}`;
}

function tryIdOf(jobId: string, retryCount: number): string {
  return `${jobId}/${retryCount}`;
}

function deadLetterName(kind: JobKind): string {
  return `ledgerline_${kind}_parked`;
}

/**
 * Creates the kind's queue; a keyed kind's with the `singleton` policy and its dead-letter queue. A queue made by an
 * earlier ledgerline (standard policy, no dead letters) is changed in place: jobs already queued keep their policy.
 */
async function ensureQueue(boss: PgBoss, kind: JobKind): Promise<void> {
  const name = queueName(kind);
  const existing = await boss.getQueue(name);
  if (!KEYED_KINDS.includes(kind)) {
    if (existing === null) await boss.createQueue(name);
    return;
  }
  const deadLetter = deadLetterName(kind);
  if ((await boss.getQueue(deadLetter)) === null) await boss.createQueue(deadLetter);
  const keyed = { name, policy: 'singleton', deadLetter } as const;
  if (existing === null) await boss.createQueue(name, keyed);
  else if (existing.policy !== keyed.policy || existing.deadLetter !== deadLetter) await boss.updateQueue(name, keyed);
}

/** A UUID (pg-boss's id type) from the job's kind and key: the same in every process. */
function jobIdOf(kind: JobKind, key: string): string {
  const hex = createHash('sha256').update(`${kind}\n${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
