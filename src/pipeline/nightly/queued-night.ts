import { EXIT, type ExitCode } from '../../errors.js';
import { JobQueue, type EnqueueOptions } from '../../queue/index.js';
import type { NightSync, PostDays, PostDaysResult, SyncStep } from './nightly-run.js';
import { postKey, type PostJob } from '../post/index.js';
import {
  enqueueCloses,
  recordedCloses,
  recordedClosesExitCode,
  waitForCloses,
  type SyncBooks,
  type WaitLimits,
} from '../sync/index.js';
import { queuedPostOutput } from './queued-post.js';
import { dayWindows } from '../runs/index.js';

export interface QueuedNightOptions {
  queue: JobQueue;
  /** Where the workers' closes are read back. */
  syncBooks: SyncBooks;
  sourceIds: readonly string[];
  /** With the fingerprint of the configuration the night was queued under (configFingerprint). */
  closeJobs: EnqueueOptions & { configFingerprint?: string };
  postJobs: EnqueueOptions;
  /** How long the night waits for the workers' closes, and then for each post. */
  limits: WaitLimits;
}

/**
 * The night's steps when `schedule.queue` hands the work to `ledgerline worker`s: the sync step queues
 * every source's close and reads back what the workers recorded, the post step queues one post per run
 * of consecutive days. runNightly records, posts and alerts the night from them as it does a local night.
 */
export function queuedNightSteps(options: QueuedNightOptions): { sync: SyncStep; postDays: PostDays } {
  const { queue, limits } = options;
  return {
    sync: async ({ asOf, logger }) => {
      const queued = await enqueueCloses(queue, options.sourceIds, asOf, options.closeJobs);
      logger.info(`the night of ${asOf}: queued the closes of ${queued.length} sources`);
      const closes = await recordedCloses(options.syncBooks, queued, await waitForCloses(queue, queued, limits));
      const sources = closes.flatMap((close) => close.sources);
      return {
        exitCode: recordedClosesExitCode(closes),
        booked: sources.some((source) => source.outcome === 'booked'),
        alertItems: {
          failures: closes.flatMap((close) => close.alertItems?.failures ?? []),
          actionItems: closes.flatMap((close) => close.alertItems?.actionItems ?? []),
        },
        sources,
      } satisfies NightSync;
    },
    postDays: async ({ destination, days, logger }) => {
      const refused: PostDaysResult['refused'][number][] = [];
      const windows: unknown[] = [];
      let exitCode: ExitCode = EXIT.ok;
      for (const window of dayWindows(days)) {
        const job: PostJob = { destination, ...window };
        const { id } = await queue.enqueue('post', postKey(job), job, options.postJobs);
        logger.info(`the night's post of ${window.from}…${window.until} to ${destination}: queued`);
        const output = await queuedPostOutput(
          queue,
          { id, to: destination },
          `the night's post to ${destination}`,
          limits,
        );
        const { report, error, errorClass } = output;
        if (report !== undefined) {
          windows.push({
            ...window,
            posted: report.posted,
            refused: report.refused.length,
            skipped: report.skipped,
            unfinished: report.unfinished,
          });
          refused.push(...report.refused);
        }
        exitCode = output.exitCode as ExitCode;
        // As a local night: the destination is failing, so later windows would fail the same way.
        if (error !== undefined)
          return {
            exitCode,
            failure: { errorClass: errorClass ?? 'PostFailed', message: error },
            refused,
            summary: windows,
          };
        if (report?.stoppedBy !== undefined)
          return {
            exitCode,
            failure: { errorClass: report.stoppedBy.error, message: report.stoppedBy.message },
            refused,
            summary: windows,
          };
      }
      return { exitCode: refused.length > 0 ? EXIT.attention : exitCode, refused, summary: windows };
    },
  };
}
