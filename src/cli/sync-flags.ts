import { z } from 'zod';
import type { QueuedSyncRequest } from '../pipeline/sync/index.js';
import { GRANULARITIES } from '../rules/index.js';
import { flag, ruleAcrossFlags } from './flags.js';

/** pg-boss's own default expiry: a nightly close of one source fits well inside it. */
const DEFAULT_JOB_EXPIRY_SECONDS = 15 * 60;
/** As long as the ledger's run lock trusts a silent run: a night's closes fit inside it. */
const DEFAULT_QUEUE_WAIT_SECONDS = 6 * 60 * 60;
/**
 * A failed close is tried again by any worker, 10 s, then about 20 and 40 s later (pg-boss's backoff): a blip at a
 * source or a worker's restart is outlasted, and a source still failing is parked within about three minutes.
 */
const DEFAULT_CLOSE_RETRIES = 3;
const DEFAULT_RETRY_DELAY_SECONDS = 10;

export const SYNC_FLAGS = z
  .object({
    source: flag.repeatedText('ID', 'only this source (repeat for several; default: every configured source)'),
    'as-of': flag.date(
      'DATE',
      "take the close of DATE, a day that has ended (default: yesterday, or the sandbox's day)",
    ),
    from: flag.date('DATE', 'backfill: replay the stored replies of the closes from DATE (with --to)'),
    to: flag.date('DATE', 'backfill: … through DATE; contacts no source'),
    'orders-file': flag.text('F', 'CSV of panel orders to ask about (order_id,service,quantity,created_at)'),
    granularity: flag.choice(GRANULARITIES, 'G', 'day (one entry per source and day) | event (one per event)'),
    'dry-run': flag.boolean('show the journal it would book, in cents; write nothing'),
    exact: flag.boolean('with --dry-run: show the exact micro-unit figures instead of cents'),
    queue: flag.boolean(
      "PostgreSQL ledger: hand each source's close to `ledgerline worker`s through the queue and wait for them",
    ),
    'job-expiry': flag.wholeNumber(
      'S',
      'with --queue: a close still running after S seconds is taken for dead and retried (default 900; a killed worker is noticed within seconds)',
      1,
    ),
    'queue-wait': flag.wholeNumber('S', 'with --queue: wait at most S seconds for the workers (default 21600)', 1),
    retries: flag.wholeNumber(
      'N',
      'with --queue: a failed close is tried again up to N times, by any worker, then its source is parked (default 3)',
    ),
    'retry-delay': flag.wholeNumber(
      'S',
      'with --queue: S seconds before the first try again, doubled at each further try (default 10)',
      1,
    ),
    'lock-wait': flag.wholeNumber(
      'S',
      'PostgreSQL ledger: wait at most S seconds for a worker closing one of the sources, then exit 75 (default 5)',
      1,
    ),
  })
  .superRefine(
    ruleAcrossFlags((flags) => {
      const isReplay = flags.from !== undefined || flags.to !== undefined;
      if ((flags.from === undefined) !== (flags.to === undefined))
        return 'a backfill needs both --from DATE and --to DATE';
      if (isReplay && flags['as-of'] !== undefined)
        return '--as-of and --from/--to do not go together: a backfill replays a window, a sync takes one close';
      if (flags.exact && !flags['dry-run']) return '--exact goes with --dry-run';
      if (flags.queue && (isReplay || flags['dry-run'] || flags.granularity !== undefined))
        return '--queue takes the nightly close only: it does not go with --from/--to, --dry-run or --granularity';
      if (
        !flags.queue &&
        [flags['job-expiry'], flags['queue-wait'], flags.retries, flags['retry-delay']].some((set) => set !== undefined)
      )
        return '--job-expiry, --queue-wait, --retries and --retry-delay go with --queue';
      // Only a local run that books takes the sources' locks: with --queue the workers take them.
      if ((flags.queue || flags['dry-run']) && flags['lock-wait'] !== undefined)
        return '--lock-wait goes with a sync that books here: not with --queue or --dry-run';
      return undefined;
    }),
  );
export type SyncFlags = z.output<typeof SYNC_FLAGS>;

/** `sync --queue`'s request from the flags. */
export function queuedRequest(flags: SyncFlags, asOf: string, ordersFile: string | undefined): QueuedSyncRequest {
  return {
    asOf,
    sourceIds: flags.source,
    jobExpirySeconds: flags['job-expiry'] ?? DEFAULT_JOB_EXPIRY_SECONDS,
    waitSeconds: flags['queue-wait'] ?? DEFAULT_QUEUE_WAIT_SECONDS,
    closeRetries: flags.retries ?? DEFAULT_CLOSE_RETRIES,
    retryDelaySeconds: flags['retry-delay'] ?? DEFAULT_RETRY_DELAY_SECONDS,
    ordersFile,
  };
}
