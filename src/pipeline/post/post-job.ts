import { z } from 'zod';
import { CalendarDateSchema } from '../../calendar/index.js';

/**
 * A `post` job: one destination's delivery over a window, run by a worker as a local `post DEST` runs it. The
 * destination is a kind's name, which the worker looks up among the destination kinds it has.
 */
export const PostJobSchema = z.object({
  destination: z.string().min(1),
  from: CalendarDateSchema.optional(),
  until: CalendarDateSchema.optional(),
  /**
   * With `entities:`, the entity whose ledger is posted to its own organisation (tenant, realm): the worker opens
   * that entity's configuration. Absent without entities.
   */
  entity: z.string().min(1).optional(),
});
export type PostJob = z.infer<typeof PostJobSchema>;

/** The report of a post as a worker returns it through the queue (a PostReport, `lockDate` absent when none). */
const QueuedPostReportSchema = z.object({
  destination: z.string(),
  lockDate: z.string().optional(),
  posted: z.number(),
  confirmedByLookup: z.number(),
  skipped: z.number(),
  refused: z.array(z.object({ entryId: z.string(), date: z.string(), reason: z.string() })),
  unfinished: z.number(),
  stoppedBy: z.object({ error: z.string(), message: z.string(), exitCode: z.number() }).optional(),
  calls: z.object({ reads: z.number(), writes: z.number() }),
});

/**
 * What a worker's post job returns, kept by the queue: the destination's name, the exit code a local post
 * would have ended with, and either its report or the error that stopped it before anything was sent.
 */
export const PostJobOutputSchema = z.object({
  name: z.string(),
  exitCode: z.number(),
  report: QueuedPostReportSchema.optional(),
  error: z.string().optional(),
  /** The error's class, for the advice a night's alert gives (posts queued before it have none). */
  errorClass: z.string().optional(),
});
export type PostJobOutput = z.infer<typeof PostJobOutputSchema>;

/**
 * The job's key: a second enqueue of the same entity's post to the same destination and window, while the first
 * waits or runs, is a no-op; each entity's post is a job of its own.
 */
export function postKey(job: PostJob): string {
  const key = `${job.destination}/${job.from ?? ''}..${job.until ?? ''}`;
  return job.entity === undefined ? key : `${job.entity}:${key}`;
}
