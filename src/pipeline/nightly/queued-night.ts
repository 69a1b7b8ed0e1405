import { EXIT, type ExitCode } from '../../errors.js';
import { JobQueue, type EnqueueOptions } from '../../queue/index.js';
import type { NightSync, PostDays, PostDaysResult, SyncStep } from './nightly-run.js';
import { postKey, type PostJob } from '../post/index.js';
import {
  closesInOrder,
  enqueueCloses,
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
  /** The sources the queue parked (in this ledger): left out of the night and reported failed with the reason, as `sync --queue` does. */
  parkedSources: { parked(): Promise<readonly { sourceId: string; reason: string; day: string }[]> };
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
    sync: queuedSyncStep(options),
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

/** The night's sync step: every source's close queued (the parked ones left out and reported), and what the workers recorded. */
function queuedSyncStep(options: QueuedNightOptions): SyncStep {
  const { queue, limits } = options;
  return async ({ asOf, logger }) => {
    const parked = new Map((await options.parkedSources.parked()).map((source) => [source.sourceId, source]));
    for (const source of options.sourceIds.flatMap((id) => parked.get(id) ?? []))
      logger.warn(
        `the night of ${asOf} leaves out ${source.sourceId}, parked since its close of ${source.day} failed in every try (${source.reason})`,
      );
    const toClose = options.sourceIds.filter((id) => !parked.has(id));
    const queued = await enqueueCloses(
      queue,
      toClose.map((sourceId) => ({ sourceId })),
      asOf,
      options.closeJobs,
    );
    logger.info(`the night of ${asOf}: queued the closes of ${queued.length} sources`);
    const statuses = queued.length === 0 ? [] : await waitForCloses(queue, queued, limits);
    const closes = await closesInOrder(options.syncBooks, options.sourceIds, parked, { queued, statuses });
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
  };
}
