import { z } from 'zod';
import { loadMappings, type Config } from '../../config/index.js';
import { EXIT, type ExitCode } from '../../errors.js';
import { createSystemClock } from '../../http/index.js';
import { sourceKinds } from '../../pipeline/kinds/index.js';
import { selectSources, type SyncDependencies, type SyncOutcome, type SyncRequest } from '../../pipeline/runs/index.js';
import { backfillWindow } from '../../pipeline/backfill/index.js';
import { syncNight, type QueuedSyncRequest } from '../../pipeline/sync/index.js';
import { GRANULARITIES } from '../../rules/index.js';
import {
  dayOf,
  defaultAsOf,
  refuseBeyondSandboxDay,
  refuseReversedWindow,
  refuseUnendedDay,
  YESTERDAY,
  yesterdayIn,
} from '../calendar.js';
import type { Command, CommandProcess } from '../command.js';
import { flag, ruleAcrossFlags, withFlags } from '../flags.js';
import { configuredAlerts } from '../configured-alerts.js';
import { withSilence } from '../../pipeline/status/index.js';
import { loadConfigFor, loadEachEntityConfigFor, withBooksFor } from '../load.js';
import { runQueuedSync } from '../queued-sync-run.js';
import { localRunLock } from '../local-run-lock.js';
import { panelProxyMayRun, whileHoldingLedger } from '../ledger-holders.js';
import { bookedMappingGaps } from '../mapping-gap-items.js';
import { progressBar } from '../progress-bar.js';
import { runRecorded } from '../run-recorded.js';
import { printOutcome } from '../sync-outcome-text.js';
import type { Books } from '../../app/index.js';

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

const SYNC_FLAGS = z
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
      return undefined;
    }),
  );
type SyncFlags = z.output<typeof SYNC_FLAGS>;

export const syncCommand: Command = withFlags({
  usage:
    'ledgerline sync [--source ID]... [--as-of DATE] [--from DATE --to DATE] [--orders-file F] ' +
    '[--granularity day|event] [--dry-run [--exact]] [--queue [--job-expiry S] [--queue-wait S] ' +
    '[--retries N] [--retry-delay S]] [--json]',
  flags: SYNC_FLAGS,
  examples: [
    "ledgerline sync                                       # yesterday's close from every source",
    'ledgerline sync --as-of 2026-03-31 --source smm-panel --orders-file orders.csv',
    'ledgerline sync --from 2026-01-01 --to 2026-03-31 --dry-run   # what a replay would correct',
  ],
  // `sync --queue` hands out every entity's closes at once (cli/queued-sync-run.ts).
  eachEntity: (flags) => flags['queue'] !== true,
  async run(context) {
    const { flags } = context;
    const { source: sourceIds, granularity, 'dry-run': dryRun } = flags;
    const isReplay = flags.from !== undefined;
    if (flags.queue) return queuedSync(context, flags);
    // A replay reads stored replies and contacts no source, so it needs none of their keys.
    const config = loadConfigFor(context, {
      sources: isReplay ? [] : sourceIds.length > 0 ? sourceIds : 'all',
      alerts: true,
    });
    const mappings = loadMappings({ chartPath: config.mappings, vocabularies: config.vocabularies });
    const { now, asOf, newestDay, window } = await readDays(context, flags, config, isReplay);
    const ordersFile = flags['orders-file'] === undefined ? undefined : resolvePath(context, flags['orders-file']);
    // Registered among the ledger's holders: refused while `migrate --to` moves the file, which waits for it in turn.
    return whileHoldingLedger(context, config.ledger, 'sync', () =>
      withBooksFor(config, { witnessAs: 'sync', refuseUnwitnessed: !dryRun }, async (books) => {
        const sync = async (runId: string) => {
          const progress = progressBar(context.stderr, !context.json);
          const deps: SyncDependencies = {
            config,
            readsOrdersFiles: sourceKinds.readsOrdersFiles,
            ledger: books.ledger,
            runs: books.runRecords,
            chart: mappings.chart.events,
            logger: context.logger,
            now: context.now,
            clock: createSystemClock(),
            redact: context.redact,
            runId,
            onProgress: (done, total, label) => progress.update(done, total, label),
            proxyAnswering: (sourceId) => panelProxyMayRun(config.ledger, sourceId),
          };
          const request = { sourceIds, ordersFile, dryRun, granularity, newestDay };
          const outcome = await closeOrReplay(
            books,
            deps,
            asOf,
            window === undefined ? request : { ...request, window },
          );
          progress.done();
          if (!dryRun && window === undefined) await unparkBooked(books, outcome);
          const gaps = bookedMappingGaps(config, outcome);
          printOutcome(context, outcome, flags.exact, gaps);
          const exitCode = gaps.length > 0 && outcome.exitCode === EXIT.ok ? EXIT.attention : outcome.exitCode;
          return { exitCode, summary: outcome.summary, alertItems: await withSilence(books, config, outcome) };
        };
        if (dryRun) return (await sync(`dry-run:${now.toISOString()}`)).exitCode;
        const alerts = configuredAlerts(context, config);
        return runRecorded(
          context,
          books.runRecords,
          {
            command: window === undefined ? 'sync' : 'backfill',
            asOf: window === undefined ? asOf : `${window.from}..${window.to}`,
            alerts: alerts && {
              to: alerts,
              label: window === undefined ? `sync as of ${asOf}` : `the backfill of ${window.from} to ${window.to}`,
            },
            lock: localRunLock(
              config,
              selectSources(config, { sourceIds }).map((source) => source.id),
            ),
            config,
          },
          (run) => sync(run.runId),
        );
      }),
    );
  },
});

/** `sync --queue`: the day read as a local sync reads it (from the first entity's configuration: they share the timezone). */
async function queuedSync(context: CommandProcess & { flags: SyncFlags }, flags: SyncFlags): Promise<ExitCode> {
  const configs = loadEachEntityConfigFor(context, {
    sources: flags.source.length > 0 ? flags.source : 'all',
    alerts: true,
  });
  const { asOf, newestDay } = await readDays(context, flags, configs[0]!, false);
  const ordersFile = flags['orders-file'] === undefined ? undefined : resolvePath(context, flags['orders-file']);
  return runQueuedSync(context, configs, { ...queuedRequest(flags, asOf!, ordersFile), newestDay });
}

/** `sync --queue`'s request from the flags. */
function queuedRequest(flags: SyncFlags, asOf: string, ordersFile: string | undefined): QueuedSyncRequest {
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

/**
 * The day's close (`asOf`), or the window's replay (`request.window`), whose days after the latest close of a kind
 * that reads past days are closed live, day by day, as the day's close is taken.
 */
function closeOrReplay(
  books: Books,
  deps: SyncDependencies,
  asOf: string | undefined,
  request: Omit<SyncRequest, 'asOf'> & { window?: { from: string; to: string } },
): Promise<SyncOutcome> {
  const closing = { ...deps, closers: sourceKinds.of };
  const { window } = request;
  if (window === undefined) return syncNight(closing, { ...request, asOf: asOf! }, books.syncBooks);
  const closeLive = async (day: string, ids: readonly string[]) =>
    (await syncNight(closing, { ...request, asOf: day, sourceIds: ids }, books.syncBooks)).report.sources;
  return backfillWindow(
    { ...deps, replayers: sourceKinds.of, repoll: sourceKinds.ordersFileRepolls(books.syncBooks), closeLive },
    { ...request, window },
    books.backfillBooks,
  );
}

/** A source the queue parked is unparked by a local close of it that books (`sync --source ID`). */
async function unparkBooked(books: Books, outcome: SyncOutcome): Promise<void> {
  const booked = outcome.summary.sources.filter((source) => source.outcome === 'booked');
  await books.parkedSources.unpark(booked.map((source) => source.sourceId));
}

/** The day to close, or the window to replay, from the flags: refused before the ledger is opened (so it is left exactly as it was) when it has not ended. */
async function readDays(
  context: CommandProcess,
  flags: SyncFlags,
  config: Config,
  isReplay: boolean,
): Promise<{
  now: Date;
  asOf: string | undefined;
  newestDay: string | undefined;
  window: { from: string; to: string } | undefined;
}> {
  const now = context.now();
  const needsDefault = flags['as-of'] === undefined || [flags['as-of'], flags.from, flags.to].includes(YESTERDAY);
  // The day a plain sync closes (the sandbox's on a trial): a first close before it must be of a kind that reads past days.
  const newestDay = isReplay ? undefined : await defaultAsOf(config, now);
  const latest = needsDefault && newestDay !== undefined ? newestDay : yesterdayIn(config.timezone, now);
  const from = dayOf(flags.from, latest);
  const to = dayOf(flags.to, latest);
  refuseReversedWindow({ flag: '--from', date: from }, { flag: '--to', date: to });
  const asOf = isReplay ? undefined : (dayOf(flags['as-of'], latest) ?? latest);
  refuseUnendedDay('--as-of', asOf, config.timezone, now);
  await refuseBeyondSandboxDay('--as-of', asOf, config, newestDay);
  refuseUnendedDay('--to', to, config.timezone, now);
  return { now, asOf, newestDay, window: from !== undefined && to !== undefined ? { from, to } : undefined };
}

function resolvePath(context: CommandProcess, path: string): string {
  return path.startsWith('/') ? path : `${context.cwd}/${path}`;
}
