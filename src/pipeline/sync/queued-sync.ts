import { z } from 'zod';
import { AlertItemSchema } from '../../alerts/alert.js';
import { CalendarDateSchema } from '../../calendar/index.js';
import { EXIT, QueuedWorkError, type ExitCode } from '../../errors.js';
import { type Clock, pollUntil } from '../../http/index.js';
import { JobQueue, type EnqueueOptions, type JobKind, type JobStatus } from '../../queue/index.js';
import type { SyncBooksReads } from './books/sync-books.js';

/** A `close` job: one source's close of one day, run by a worker as a local sync of that source would run it. */
export const CloseJobSchema = z.object({
  sourceId: z.string().min(1),
  day: CalendarDateSchema,
  /** `sync --queue --orders-file`: the file (an absolute path the workers read) for the panel source's close. */
  ordersFile: z.string().min(1).optional(),
  /** configFingerprint of the file `sync --queue` read: a worker with another configuration refuses the job. */
  configFingerprint: z.string().min(1).optional(),
  /**
   * The entity (its ledger and destination organisation, issue 55 item 2) the source books into, when the
   * configuration has `entities:`: the worker closes the source in that entity's ledger. Absent without entities.
   */
  entity: z.string().min(1).optional(),
  /**
   * `park` (`sync --queue`): a close that failed at its source fails the job, so the queue retries it and parks the
   * source after its last try. Absent (a scheduled queued night, for now): the failure is recorded as the source's.
   */
  onSourceFailure: z.literal('park').optional(),
});
export type CloseJob = z.infer<typeof CloseJobSchema>;

/** What a worker's close job returns, kept by the queue: the run it recorded in the ledger. */
const CloseJobOutputSchema = z.object({ runId: z.string().min(1) });

/**
 * The part of a worker's recorded close that a queued sync reads back to print and decide its exit code
 * as a local sync would; the rest of each source (its money, its entry ids) passes through as recorded.
 */
const RecordedCloseSchema = z.object({
  sources: z.array(
    z.looseObject({
      sourceId: z.string(),
      outcome: z.enum(['booked', 'failed']),
      findings: z.number(),
      actionItems: z.array(z.unknown()).optional(),
      quarantined: z.number(),
    }),
  ),
  findings: z.array(z.unknown()),
  ordersFileProblems: z.array(z.string()).optional(),
  /** What the night alerts about this close (a scheduled night reads it; closes recorded before it have none). */
  alertItems: z.object({ failures: z.array(AlertItemSchema), actionItems: z.array(AlertItemSchema) }).optional(),
});
export type RecordedClose = z.infer<typeof RecordedCloseSchema>;

export interface QueuedClose {
  job: CloseJob;
  id: string;
  /** False when the job was already waiting or running: this enqueue was a no-op. */
  enqueued: boolean;
}

/** One source's close to queue: its entity (with `entities:`), and the orders file its close reads (`--orders-file`). */
export interface CloseToQueue {
  sourceId: string;
  entity?: string | undefined;
  ordersFile?: string | undefined;
}

/** One job per source for `day`, each a no-op when that source's close of the day is already queued. */
export async function enqueueCloses(
  queue: JobQueue,
  closes: readonly CloseToQueue[],
  day: string,
  options: EnqueueOptions & { configFingerprint?: string; parkFailingSources?: boolean },
): Promise<QueuedClose[]> {
  const jobs: CloseJob[] = closes.map(({ sourceId, entity, ordersFile }) => ({
    sourceId,
    day,
    ...(entity === undefined ? {} : { entity }),
    ...(options.parkFailingSources === true ? { onSourceFailure: 'park' as const } : {}),
    ...(options.configFingerprint === undefined ? {} : { configFingerprint: options.configFingerprint }),
    ...(ordersFile === undefined ? {} : { ordersFile }),
  }));
  // Keyed by source (ids are unique across entities): one close of a source runs at a time, and a source's
  // retries wait on its key only, whichever entity it books into.
  const queued = await queue.enqueueAll(
    'close',
    jobs.map((job) => ({ key: closeKey(job), data: job, singletonKey: job.sourceId })),
    { ...options, retryBackoff: options.parkFailingSources === true },
  );
  return jobs.map((job, index) => ({ job, ...queued[index]! }));
}

export interface WaitLimits {
  clock: Clock;
  /** How long to wait in all for the jobs to finish. */
  maxWaitMs: number;
  /** How often to look. */
  pollMs: number;
}

/** Waits, bounded in time and in looks, until every close has finished one way or another; their statuses. */
export async function waitForCloses(
  queue: JobQueue,
  queued: readonly QueuedClose[],
  limits: WaitLimits,
): Promise<JobStatus[]> {
  const jobs = queued.map((close) => ({ id: close.id, name: close.job.sourceId }));
  return waitForJobs(queue, 'close', jobs, `the queued closes of ${queued[0]!.job.day}`, limits);
}

/** Waits, bounded in time and in looks, until every job of `kind` (each named for the messages) has finished; their statuses. */
export async function waitForJobs(
  queue: JobQueue,
  kind: JobKind,
  jobs: readonly { id: string; name: string }[],
  what: string,
  limits: WaitLimits,
): Promise<JobStatus[]> {
  // A finished job stays finished for this wait: each look asks only about those still pending.
  const statuses = new Map<string, JobStatus>();
  const pending = new Set(jobs.map((job) => job.id));
  // A worker announces each job it completes: the look after the night's last completion comes at once, not up to pollMs later.
  const wake = { cuts: jobs.length, noticed: (stop: AbortSignal) => queue.finishNoticed(kind, pending, stop) };
  return pollUntil(
    async () => {
      const asked = jobs.filter((job) => !statuses.has(job.id));
      for (const status of await queue.statuses(
        kind,
        asked.map((job) => job.id),
      ))
        if (JobQueue.isFinished(status.state)) {
          statuses.set(status.id, status);
          pending.delete(status.id);
        }
      const left = asked.filter((job) => !statuses.has(job.id));
      if (left.length === 0) return { done: true, value: jobs.map((job) => statuses.get(job.id)!) };
      const names = left.map((job) => job.name).join(', ');
      return {
        done: false,
        timedOut: new QueuedWorkError(
          `${what} did not all finish within ${Math.round(limits.maxWaitMs / 1000)} s (still waiting: ` +
            `${names}); they stay queued: is a \`ledgerline worker\` running?`,
        ),
      };
    },
    { ...limits, wake },
  );
}

/**
 * What each finished job recorded in the ledger, in the order the jobs were queued. A close that failed at its
 * source in every try is its source's failure, "parked: <reason>" (the dead-letter queue's worker parks it); any
 * other job that failed in every try (or was deleted) stops the sync with an error naming it.
 */
async function recordedCloses(
  books: Pick<SyncBooksReads, 'runSummaries'>,
  queued: readonly QueuedClose[],
  statuses: readonly JobStatus[],
): Promise<RecordedClose[]> {
  const recorded: RecordedClose[] = [];
  const failed: string[] = [];
  const summaries = await books.runSummaries(
    statuses.flatMap((status) => CloseJobOutputSchema.safeParse(status.output).data?.runId ?? []),
  );
  for (const [index, close] of queued.entries()) {
    const status = statuses[index]!;
    const output = CloseJobOutputSchema.safeParse(status.output);
    const recordedSummary =
      status.state === 'completed' && output.success ? summaries.get(output.data.runId) : undefined;
    const summary = recordedSummary === undefined ? undefined : RecordedCloseSchema.safeParse(recordedSummary);
    const parkedFor = status.state === 'failed' ? failedAtSource(status.output) : undefined;
    if (summary?.success === true) recorded.push(summary.data);
    else if (parkedFor !== undefined)
      recorded.push({ sources: [parkedSource(close.job.sourceId, parkedFor)], findings: [] });
    else
      failed.push(
        `${close.job.sourceId} (${status.state}${status.state === 'failed' ? `: ${failureOf(status.output)}` : ''})`,
      );
  }
  if (failed.length > 0)
    throw new QueuedWorkError(
      `the queued close of ${queued[0]!.job.day} did not finish for ${failed.join('; ')}; run it again to retry`,
    );
  return recorded;
}

/** As syncExitCode, from what the workers recorded: 3 when a source failed, 1 when something needs a person, else 0. */
export function recordedClosesExitCode(closes: readonly RecordedClose[]): ExitCode {
  const sources = closes.flatMap((close) => close.sources);
  if (sources.some((source) => source.outcome === 'failed')) return EXIT.external;
  if (closes.some((close) => (close.ordersFileProblems ?? []).length > 0)) return EXIT.attention;
  // Closes recorded before the action items were kept count every finding as one.
  if (sources.some((source) => (source.actionItems?.length ?? source.findings) > 0 || source.quarantined > 0))
    return EXIT.attention;
  return EXIT.ok;
}

function closeKey(job: CloseJob): string {
  return `${job.sourceId}/${job.day}`;
}

/**
 * A queued night's closes, read back from what each job recorded (recordedCloses), in the configuration's order,
 * a parked source where it stands (left out of the queue, reported failed with its reason): as a local sync prints them.
 */
export async function closesInOrder(
  books: Pick<SyncBooksReads, 'runSummaries'>,
  sourceIds: readonly string[],
  parked: ReadonlyMap<string, { reason: string }>,
  finished: { queued: readonly QueuedClose[]; statuses: readonly JobStatus[] },
): Promise<RecordedClose[]> {
  const recorded = finished.queued.length === 0 ? [] : await recordedCloses(books, finished.queued, finished.statuses);
  const bySource = new Map(recorded.flatMap((close) => close.sources.map((source) => [source.sourceId, close])));
  return sourceIds.map((id) => {
    const parkedOne = parked.get(id);
    return parkedOne === undefined
      ? bySource.get(id)!
      : { sources: [parkedSource(id, parkedOne.reason)], findings: [] };
  });
}

/** A source's part of a queued night when the queue parked it (now, or on an earlier night), as a failed source's. */
function parkedSource(sourceId: string, reason: string): RecordedClose['sources'][number] {
  return {
    sourceId,
    outcome: 'failed',
    error: `parked: ${reason}`,
    events: 0,
    entries: 0,
    quarantined: 0,
    findings: 0,
    booked: [],
    payouts: [],
    actionItems: [],
    informationItems: 0,
  };
}

/** The reason of a job that failed at its source (a SourceCloseFailedError, as pg-boss kept it); undefined for any other failure. */
function failedAtSource(output: unknown): string | undefined {
  const parsed = z.object({ name: z.literal('SourceCloseFailedError'), message: z.string() }).safeParse(output);
  return parsed.success ? parsed.data.message : undefined;
}

/** The message pg-boss kept for a failed job (its error serialized, or "failed by timeout"). */
export function failureOf(output: unknown): string {
  const parsed = z
    .object({ message: z.string() })
    .or(z.object({ value: z.object({ message: z.string() }) }))
    .safeParse(output);
  if (!parsed.success) return 'no reason kept';
  return 'message' in parsed.data ? parsed.data.message : parsed.data.value.message;
}
