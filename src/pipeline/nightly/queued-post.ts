import { QueuedWorkError } from '../../errors.js';
import type { Clock } from '../../http/index.js';
import type { Logger } from '../../log/index.js';
import { JobQueue } from '../../queue/index.js';
import { locks } from '../../store/index.js';
import { PostJobOutputSchema, postKey, type DeliveryWindow, type PostJob, type PostJobOutput } from '../post/index.js';
import { failureOf, waitForJobs, type WaitLimits } from '../sync/index.js';

/** A post still running this long after it started is taken for dead and retried: the ledger's run lock trusts a silent post as long. */
const POST_JOB_EXPIRY_SECONDS = 30 * 60;
/** A failed or expired post job is tried this many more times (a destination's refusal comes back as output, not a failure). */
const POST_JOB_RETRIES = 3;
/** How often the waiting post looks at its job. */
const POLL_MS = 500;

/**
 * `post --queue`: one post job for the entity (with `entities:`), destination and window on the queue in the
 * PostgreSQL `ledger` (a no-op when that post is already queued), then, once a worker has run it, what the worker
 * returned: what a local post prints and its exit code.
 */
export async function runQueuedPost(request: {
  ledger: string;
  entity: string | undefined;
  to: string;
  window: DeliveryWindow;
  waitSeconds: number;
  logger: Logger;
  /** What the wait for the worker sleeps on. */
  clock: Clock;
}): Promise<PostJobOutput> {
  const { ledger, entity, to, window, logger } = request;
  const job: PostJob = {
    destination: to,
    ...(window.from === undefined ? {} : { from: window.from }),
    ...(window.until === undefined ? {} : { until: window.until }),
    ...(entity === undefined ? {} : { entity }),
  };
  const named = entity === undefined ? to : `${to} (entity ${entity})`;
  const queue = await JobQueue.open(ledger, {
    setupLock: () => locks.holdQueueSetup(ledger),
    supervise: false,
    onError: (message) => logger.warn(message),
  });
  try {
    const { id, enqueued } = await queue.enqueue('post', postKey(job), job, {
      expireInSeconds: POST_JOB_EXPIRY_SECONDS,
      retryLimit: POST_JOB_RETRIES,
    });
    logger.info(`queued the post to ${named}${enqueued ? '' : ' (already queued)'}; waiting for a worker`);
    const limits = { clock: request.clock, maxWaitMs: request.waitSeconds * 1000, pollMs: POLL_MS };
    return await queuedPostOutput(
      queue,
      { id, to: named },
      `the queued post to ${named}`,
      limits,
      '; run it again to retry',
    );
  } finally {
    await queue.stop();
  }
}

/** What the worker returned for a post job once it finished; a job that did not complete is a QueuedWorkError (`hint` ends its message). */
export async function queuedPostOutput(
  queue: JobQueue,
  job: { id: string; to: string },
  what: string,
  limits: WaitLimits,
  hint = '',
): Promise<PostJobOutput> {
  const [status] = await waitForJobs(queue, 'post', [{ id: job.id, name: job.to }], what, limits);
  const output = status!.state === 'completed' ? PostJobOutputSchema.safeParse(status!.output) : undefined;
  if (output?.success !== true) {
    throw new QueuedWorkError(
      `the queued post to ${job.to} did not finish (${status!.state}${status!.state === 'failed' ? `: ${failureOf(status!.output)}` : ''})${hint}`,
    );
  }
  return output.data;
}
