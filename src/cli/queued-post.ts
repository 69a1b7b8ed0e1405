import type { Config, DestinationKind } from '../config/index.js';
import { QueuedWorkError, type ExitCode } from '../errors.js';
import { createSystemClock } from '../http/clock.js';
import type { DeliveryWindow, PostReport } from '../pipeline/post/index.js';
import { PostJobOutputSchema, postKey, type PostJob } from '../pipeline/post/index.js';
import { failureOf, waitForJobs } from '../pipeline/sync/index.js';
import { JobQueue } from '../queue/index.js';
import { lockQueueSetup } from '../store/index.js';
import type { CommandContext } from './command.js';
import { requirePostgresLedger } from './queue-flags.js';

/** A post still running this long after it started is taken for dead and retried: the ledger's run lock trusts a silent post as long. */
const POST_JOB_EXPIRY_SECONDS = 30 * 60;
/** A failed or expired post job is tried this many more times (a destination's refusal comes back as output, not a failure). */
const POST_JOB_RETRIES = 3;
/** How often the waiting post looks at its job. */
const POLL_MS = 500;

/**
 * `post --queue`: one post job for the destination and window (a no-op when that post is already queued),
 * then, once a worker has run it, what a local post prints and its exit code, from what the worker returned.
 */
export async function runQueuedPost(
  context: CommandContext,
  config: Config,
  to: DestinationKind,
  window: DeliveryWindow,
  waitSeconds: number,
  print: (name: string, report: PostReport) => void,
): Promise<ExitCode> {
  requirePostgresLedger(config, 'post --queue');
  const job: PostJob = { destination: to, ...(window.from === undefined ? {} : { from: window.from }), ...(window.until === undefined ? {} : { until: window.until }) };
  const queue = await JobQueue.open(config.ledger, { setupLock: () => lockQueueSetup(config.ledger), supervise: false, onError: (message) => context.logger.warn(message) });
  try {
    const { id, enqueued } = await queue.enqueue('post', postKey(job), job, { expireInSeconds: POST_JOB_EXPIRY_SECONDS, retryLimit: POST_JOB_RETRIES });
    context.logger.info(`queued the post to ${to}${enqueued ? '' : ' (already queued)'}; waiting for a worker`);
    const [status] = await waitForJobs(queue, 'post', [{ id, name: to }], `the queued post to ${to}`, {
      clock: createSystemClock(),
      maxWaitMs: waitSeconds * 1000,
      pollMs: POLL_MS,
    });
    const output = status!.state === 'completed' ? PostJobOutputSchema.safeParse(status!.output) : undefined;
    if (output?.success !== true) {
      throw new QueuedWorkError(
        `the queued post to ${to} did not finish (${status!.state}${status!.state === 'failed' ? `: ${failureOf(status!.output)}` : ''}); run it again to retry`,
      );
    }
    const { name, report, error } = output.data;
    if (report !== undefined) print(name, { ...report, lockDate: report.lockDate, stoppedBy: report.stoppedBy && { ...report.stoppedBy, exitCode: report.stoppedBy.exitCode as ExitCode } });
    if (error !== undefined) context.stderr.write(`${context.redact(`error: ${error}`)}\n`);
    return output.data.exitCode as ExitCode;
  } finally {
    await queue.stop();
  }
}
