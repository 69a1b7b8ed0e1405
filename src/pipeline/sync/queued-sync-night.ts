import { configFingerprint, type Config, type SourceConfig } from '../../config/index.js';
import type { ExitCode } from '../../errors.js';
import type { Clock } from '../../http/index.js';
import type { Logger } from '../../log/index.js';
import type { JobQueue } from '../../queue/index.js';
import { ordersFileReaders, selectSources } from '../runs/index.js';
import { refuseUnusableOrdersFiles } from '../../kinds/panel/panel-close.js';
import type { ParkedSources } from './parked-sources.js';
import {
  enqueueCloses,
  parkedSource,
  recordedCloses,
  recordedClosesExitCode,
  waitForCloses,
  type RecordedClose,
} from './queued-sync.js';
import type { SyncBooks } from './sync-books.js';

/** How often the waiting sync looks at its jobs: one statement about those still pending, so often enough not to idle at the night's end. */
const POLL_MS = 250;

export interface QueuedSyncRequest {
  asOf: string;
  sourceIds: readonly string[];
  /** A close job still running this long after it started is taken for dead and retried by another worker. */
  jobExpirySeconds: number;
  /** How long to wait for the workers before giving up (the jobs stay queued). */
  waitSeconds: number;
  /** A failed or expired close job is tried this many more times before the sync reports it (and its source is parked). */
  closeRetries: number;
  /** Seconds before a failed close's first try again, doubled (with jitter) at each further try. */
  retryDelaySeconds: number;
  /** `--orders-file`, as an absolute path: the panel's close job carries it, and its worker reads it there. */
  ordersFile?: string | undefined;
}

/** The closes a queued sync hands out, checked before the ledger is opened. */
export interface QueuedSyncPlan {
  request: QueuedSyncRequest;
  sourceIds: string[];
  ordersFile: { sourceId: string; path: string } | undefined;
  configFingerprint: string;
}

/** What the workers recorded for the night, as a local sync would report it. */
export interface QueuedSyncOutcome {
  summary: { asOf: string; sources: RecordedClose['sources']; ordersFileProblems?: string[] };
  closes: RecordedClose[];
  exitCode: ExitCode;
}

/** The sources to close and the orders file's panel; a file whose header is unusable stops the sync before anything is queued. */
export async function planQueuedSync(
  config: Config,
  request: QueuedSyncRequest,
  readsOrdersFiles: (source: SourceConfig) => boolean,
): Promise<QueuedSyncPlan> {
  const sources = selectSources(config, { sourceIds: request.sourceIds });
  const [reader] = ordersFileReaders(sources, request, readsOrdersFiles);
  const ordersFile =
    request.ordersFile === undefined || reader === undefined
      ? undefined
      : { sourceId: reader.id, path: request.ordersFile };
  if (ordersFile !== undefined) await refuseUnusableOrdersFiles([ordersFile.path]);
  return {
    request,
    sourceIds: sources.map((source) => source.id),
    ordersFile,
    configFingerprint: configFingerprint(config.file),
  };
}

/**
 * `sync --queue`: one close job per source for the day (a no-op for a source whose close is already
 * queued), then, once the workers have run them, the same summary and exit code as a local sync, read
 * back from what each job recorded in the ledger.
 */
export async function queuedSyncNight(
  queue: JobQueue,
  books: Pick<SyncBooks, 'runSummaries'> & { parkedSources: Pick<ParkedSources, 'parked'> },
  plan: QueuedSyncPlan,
  deps: { logger: Logger; clock: Clock },
): Promise<QueuedSyncOutcome> {
  const { request } = plan;
  const parked = new Map((await books.parkedSources.parked()).map((source) => [source.sourceId, source]));
  for (const source of plan.sourceIds.flatMap((id) => parked.get(id) ?? []))
    deps.logger.warn(
      `${source.sourceId} is parked since its close of ${source.day} failed in every try (${source.reason}); ` +
        `it is left out until \`ledgerline sync --source ${source.sourceId}\` books it`,
    );
  const queuedCloses = await closesOf(
    queue,
    books,
    { ...plan, sourceIds: plan.sourceIds.filter((id) => !parked.has(id)) },
    deps,
  );
  const bySource = new Map(queuedCloses.flatMap((close) => close.sources.map((source) => [source.sourceId, close])));
  // In the configuration's order, a parked source where it stands: as a local sync prints its sources.
  const closes = plan.sourceIds.map((id) => {
    const parkedOne = parked.get(id);
    return parkedOne === undefined
      ? bySource.get(id)!
      : { sources: [parkedSource(id, parkedOne.reason)], findings: [] };
  });
  const summary = {
    asOf: request.asOf,
    sources: closes.flatMap((close) => close.sources),
    ...(closes.some((close) => close.ordersFileProblems !== undefined)
      ? { ordersFileProblems: closes.flatMap((close) => close.ordersFileProblems ?? []) }
      : {}),
  };
  return { summary, closes, exitCode: recordedClosesExitCode(closes) };
}

/** The closes of the sources not parked, queued and waited for; what each recorded. */
async function closesOf(
  queue: JobQueue,
  books: Pick<SyncBooks, 'runSummaries'>,
  plan: QueuedSyncPlan,
  deps: { logger: Logger; clock: Clock },
): Promise<RecordedClose[]> {
  const { request } = plan;
  if (plan.sourceIds.length === 0) return [];
  const queued = await enqueueCloses(queue, plan.sourceIds, request.asOf, {
    expireInSeconds: request.jobExpirySeconds,
    retryLimit: request.closeRetries,
    retryDelaySeconds: request.retryDelaySeconds,
    parkFailingSources: true,
    configFingerprint: plan.configFingerprint,
    ...(plan.ordersFile === undefined ? {} : { ordersFile: plan.ordersFile }),
  });
  const already = queued.filter((close) => !close.enqueued).length;
  deps.logger.info(
    `queued the closes of ${request.asOf} for ${queued.length} sources${already > 0 ? ` (${already} already queued)` : ''}; waiting for the workers`,
  );
  const statuses = await waitForCloses(queue, queued, {
    clock: deps.clock,
    maxWaitMs: request.waitSeconds * 1000,
    pollMs: POLL_MS,
  });
  return recordedCloses(books, queued, statuses);
}
