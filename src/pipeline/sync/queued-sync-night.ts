import { configFingerprint, type Config } from '../../config/index.js';
import type { ExitCode } from '../../errors.js';
import type { Clock } from '../../http/index.js';
import type { Logger } from '../../log/index.js';
import type { JobQueue, JobStatus } from '../../queue/index.js';
import { ordersFileReaders, selectSources } from '../runs/index.js';
import type { ParkedSource, ParkedSources } from './books/parked-sources.js';
import type { SourceClosers } from './source-closer.js';
import {
  closesInOrder,
  enqueueCloses,
  recordedClosesExitCode,
  waitForCloses,
  type CloseToQueue,
  type QueuedClose,
  type RecordedClose,
} from './queued-sync.js';
import type { SyncBooks } from './books/sync-books.js';

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
  /** The day a plain sync would close: a first close before it is refused for a kind that tells only the present. */
  newestDay?: string | undefined;
}

/** The closes a queued sync hands out, checked before the ledger is opened. */
interface QueuedSyncPlan {
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

/** Where one entity's closes are read back: its ledger's recorded runs and parked sources. */
type QueuedNightBooks = Pick<SyncBooks, 'runSummaries'> & { parkedSources: Pick<ParkedSources, 'parked'> };

/** One entity's part of a queued night (the configuration itself, `entity` undefined, without `entities:`). */
interface EntityNight {
  entity: string | undefined;
  books: QueuedNightBooks;
  plan: QueuedSyncPlan;
}

/** The sources to close and the orders file's panel; a file whose header is unusable stops the sync before anything is queued. */
export async function planQueuedSync(
  config: Config,
  request: QueuedSyncRequest,
  closers: SourceClosers,
): Promise<QueuedSyncPlan> {
  const sources = selectSources(config, { sourceIds: request.sourceIds });
  const [reader] = ordersFileReaders(sources, request, (source) => closers(source).ordersFilesOf !== undefined);
  const ordersFile =
    request.ordersFile === undefined || reader === undefined
      ? undefined
      : { sourceId: reader.id, path: request.ordersFile };
  if (ordersFile !== undefined && reader !== undefined)
    await closers(reader).refuseUnusableOrdersFiles?.([ordersFile.path]);
  return {
    request,
    sourceIds: sources.map((source) => source.id),
    ordersFile,
    configFingerprint: configFingerprint(config.file),
  };
}

/**
 * `sync --queue`: one close job per (entity, source) for the day, every entity's at once on the one queue (a no-op
 * for a source whose close is already queued), then, once the workers have run them, each entity's summary and exit
 * code as a local sync of it would give, read back from what each job recorded in that entity's ledger. A source
 * parked in its entity's ledger is left out, and reported failed with its reason where it stands.
 */
export async function queuedSyncNight(
  queue: JobQueue,
  nights: readonly EntityNight[],
  deps: { logger: Logger; clock: Clock },
): Promise<QueuedSyncOutcome[]> {
  const parkedOf = await Promise.all(nights.map((night) => parkedIn(night, deps.logger)));
  const toQueue = nights.flatMap((night, index) =>
    night.plan.sourceIds
      .filter((id) => !parkedOf[index]!.has(id))
      .map((sourceId) => ({
        sourceId,
        entity: night.entity,
        ordersFile: night.plan.ordersFile?.sourceId === sourceId ? night.plan.ordersFile.path : undefined,
      })),
  );
  const queued = await queuedAndWaited(queue, toQueue, nights, deps);
  return Promise.all(
    nights.map(async (night, index) => {
      const own = queued.filter((close) => close.queued.job.entity === night.entity);
      const closes = await closesInOrder(night.books, night.plan.sourceIds, parkedOf[index]!, {
        queued: own.map((close) => close.queued),
        statuses: own.map((close) => close.status),
      });
      return outcomeOf(night.plan, closes);
    }),
  );
}

/** The entity's parked sources among those it would close, each warned of: left out until a local sync books it. */
async function parkedIn(night: EntityNight, logger: Logger): Promise<Map<string, ParkedSource>> {
  const parked = new Map((await night.books.parkedSources.parked()).map((source) => [source.sourceId, source]));
  for (const source of night.plan.sourceIds.flatMap((id) => parked.get(id) ?? []))
    logger.warn(
      `${source.sourceId} is parked since its close of ${source.day} failed in every try (${source.reason}); ` +
        `it is left out until \`ledgerline sync${night.entity === undefined ? '' : ` --entity ${night.entity}`} --source ${source.sourceId}\` books it`,
    );
  return parked;
}

/** The closes queued and waited for, each with its finished job's status. */
async function queuedAndWaited(
  queue: JobQueue,
  closes: readonly CloseToQueue[],
  nights: readonly EntityNight[],
  deps: { logger: Logger; clock: Clock },
): Promise<{ queued: QueuedClose; status: JobStatus }[]> {
  if (closes.length === 0) return [];
  const { request, configFingerprint: fingerprint } = nights[0]!.plan;
  const queued = await enqueueCloses(queue, closes, request.asOf, {
    expireInSeconds: request.jobExpirySeconds,
    retryLimit: request.closeRetries,
    retryDelaySeconds: request.retryDelaySeconds,
    parkFailingSources: true,
    configFingerprint: fingerprint,
  });
  const already = queued.filter((close) => !close.enqueued).length;
  const entities = nights.length > 1 ? ` in ${nights.length} entities` : '';
  deps.logger.info(
    `queued the closes of ${request.asOf} for ${queued.length} sources${entities}${already > 0 ? ` (${already} already queued)` : ''}; waiting for the workers`,
  );
  const statuses = await waitForCloses(queue, queued, {
    clock: deps.clock,
    maxWaitMs: request.waitSeconds * 1000,
    pollMs: POLL_MS,
  });
  return queued.map((close, index) => ({ queued: close, status: statuses[index]! }));
}

/** The entity's summary and exit code, as a local sync of it reports them. */
function outcomeOf(plan: QueuedSyncPlan, closes: RecordedClose[]): QueuedSyncOutcome {
  const summary = {
    asOf: plan.request.asOf,
    sources: closes.flatMap((close) => close.sources),
    ...(closes.some((close) => close.ordersFileProblems !== undefined)
      ? { ordersFileProblems: closes.flatMap((close) => close.ordersFileProblems ?? []) }
      : {}),
  };
  return { summary, closes, exitCode: recordedClosesExitCode(closes) };
}
