import { EXIT, type ExitCode } from '../../errors.js';
import { JobQueue, type EnqueueOptions } from '../../queue/index.js';
import type { AlertItem } from '../../alerts/alert.js';
import type { Logger } from '../../log/index.js';
import type { NightSync, PostDays, PostDaysRequest, PostDaysResult, SyncStep } from './nightly-run.js';
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

/** One entity's part of a queued night (the configuration itself, `entity` undefined, without `entities:`). */
interface QueuedNightEntity {
  entity: string | undefined;
  /** Where the workers' closes of its sources are read back: its own ledger. */
  syncBooks: Pick<SyncBooks, 'runSummaries'>;
  sourceIds: readonly string[];
  /** The sources the queue parked (in its ledger): left out of the night and reported failed with the reason, as `sync --queue` does. */
  parkedSources: { parked(): Promise<readonly ParkedSource[]> };
}

type ParkedSource = { sourceId: string; reason: string; day: string };
/** What one close recorded, as the night reads it back. */
type RecordedClose = Awaited<ReturnType<typeof closesInOrder>>[number];

export interface QueuedNightOptions {
  queue: JobQueue;
  /** Every entity the night closes and posts, in the file's order: one night over all of them. */
  entities: readonly QueuedNightEntity[];
  /** With the fingerprint of the configuration the night was queued under (configFingerprint). */
  closeJobs: EnqueueOptions & { configFingerprint?: string };
  postJobs: EnqueueOptions;
  /** How long the night waits for the workers' closes, and then for each post. */
  limits: WaitLimits;
}

/**
 * Each entity's exit code from its own part of the night (its sources' closes, then its posts), for its own monitor
 * check: north's parked panel (3) leaves south's night, whose sources all closed and posted, at 0. An entity whose
 * part did not finish (a step threw, the night was refused) is absent: its check takes the night's code.
 */
type EntityExitCodes = Map<string | undefined, ExitCode>;

/**
 * The night's steps when `schedule.queue` hands the work to `ledgerline worker`s: the sync step queues every
 * (entity, source) close at once and reads back what the workers recorded in each entity's ledger, the post step
 * queues one post per entity and run of consecutive days. runNightly records, posts and alerts the night from them
 * as it does a local night: one record, one alert, whatever the number of entities.
 */
export function queuedNightSteps(options: QueuedNightOptions): {
  sync: SyncStep;
  postDays: PostDays;
  entityExitCodes: EntityExitCodes;
} {
  const entityExitCodes: EntityExitCodes = new Map();
  return {
    sync: queuedSyncStep(options, entityExitCodes),
    postDays: async (request) => {
      let result: PostDaysResult = { exitCode: EXIT.ok, refused: [], summary: [] };
      // Each entity posts to its own organisation: one entity's failing destination does not stop the other's post.
      for (const { entity } of options.entities) {
        const own = await postEntityDays(options, entity, request).catch((error: unknown) => {
          entityExitCodes.delete(entity);
          throw error;
        });
        const synced = entityExitCodes.get(entity);
        if (synced !== undefined) entityExitCodes.set(entity, Math.max(synced, own.exitCode) as ExitCode);
        const failure = result.failure ?? own.failure;
        result = {
          exitCode: Math.max(result.exitCode, own.exitCode) as ExitCode,
          ...(failure === undefined ? {} : { failure }),
          refused: [...result.refused, ...own.refused],
          summary: [...(result.summary as unknown[]), ...(own.summary as unknown[])],
        };
      }
      return result;
    },
    entityExitCodes,
  };
}

/** One entity's post of the night's days to `destination`: one queued post job per run of consecutive days. */
async function postEntityDays(
  options: QueuedNightOptions,
  entity: string | undefined,
  { destination, days, logger }: Pick<PostDaysRequest, 'destination' | 'days' | 'logger'>,
): Promise<PostDaysResult> {
  const { queue, limits } = options;
  const refused: PostDaysResult['refused'][number][] = [];
  const windows: unknown[] = [];
  const named = entity === undefined ? destination : `${destination} (entity ${entity})`;
  let exitCode: ExitCode = EXIT.ok;
  for (const window of dayWindows(days)) {
    const job: PostJob = { destination, ...window, ...(entity === undefined ? {} : { entity }) };
    const { id } = await queue.enqueue('post', postKey(job), job, options.postJobs);
    logger.info(`the night's post of ${window.from}…${window.until} to ${named}: queued`);
    const output = await queuedPostOutput(queue, { id, to: named }, `the night's post to ${named}`, limits);
    const { report, error, errorClass } = output;
    if (report !== undefined) {
      windows.push({
        ...window,
        ...(entity === undefined ? {} : { entity }),
        posted: report.posted,
        refused: report.refused.length,
        skipped: report.skipped,
        unfinished: report.unfinished,
      });
      refused.push(...report.refused);
    }
    exitCode = output.exitCode as ExitCode;
    // As a local night: the destination is failing, so later windows would fail the same way.
    const failure =
      error === undefined
        ? report?.stoppedBy && { errorClass: report.stoppedBy.error, message: report.stoppedBy.message }
        : { errorClass: errorClass ?? 'PostFailed', message: error };
    if (failure !== undefined) return { exitCode, failure, refused, summary: windows };
  }
  return { exitCode: refused.length > 0 ? EXIT.attention : exitCode, refused, summary: windows };
}

/**
 * The night's sync step: every entity's sources' closes queued at once (the parked ones left out, each reported as a
 * failed source and an alert item naming its entity), and what the workers recorded in each entity's ledger.
 */
function queuedSyncStep(options: QueuedNightOptions, entityExitCodes: EntityExitCodes): SyncStep {
  const { queue, limits, entities } = options;
  const several = entities.length > 1;
  return async ({ asOf, logger }) => {
    const parkedOf = await Promise.all(entities.map((part) => parkedIn(part, asOf, logger)));
    const toClose = entities.flatMap((part, index) =>
      part.sourceIds.filter((id) => !parkedOf[index]!.has(id)).map((sourceId) => ({ sourceId, entity: part.entity })),
    );
    const queued = await enqueueCloses(queue, toClose, asOf, options.closeJobs);
    logger.info(
      `the night of ${asOf}: queued the closes of ${queued.length} sources${several ? ` of ${entities.length} entities` : ''}`,
    );
    const statuses = queued.length === 0 ? [] : await waitForCloses(queue, queued, limits);
    const perEntity = await Promise.all(
      entities.map(async (part, index) => {
        const own = queued.flatMap((close, at) => (close.job.entity === part.entity ? [at] : []));
        const closes = await closesInOrder(part.syncBooks, part.sourceIds, parkedOf[index]!, {
          queued: own.map((at) => queued[at]!),
          statuses: own.map((at) => statuses[at]!),
        });
        entityExitCodes.set(part.entity, recordedClosesExitCode(closes));
        return several ? closes.map((close) => withEntity(close, part.entity)) : closes;
      }),
    );
    const closes = perEntity.flat();
    const sources = closes.flatMap((close) => close.sources);
    return {
      exitCode: recordedClosesExitCode(closes),
      booked: sources.some((source) => source.outcome === 'booked'),
      alertItems: {
        failures: [
          ...entities.flatMap((part, index) => parkedItems(part, parkedOf[index]!)),
          ...closes.flatMap((close) => close.alertItems?.failures ?? []),
        ],
        actionItems: closes.flatMap((close) => close.alertItems?.actionItems ?? []),
      },
      sources,
    } satisfies NightSync;
  };
}

/** The entity's parked sources among those it closes, each warned of (naming its entity): left out of the night. */
async function parkedIn(part: QueuedNightEntity, asOf: string, logger: Logger): Promise<Map<string, ParkedSource>> {
  const parked = new Map((await part.parkedSources.parked()).map((source) => [source.sourceId, source]));
  for (const source of part.sourceIds.flatMap((id) => parked.get(id) ?? []))
    logger.warn(
      `the night of ${asOf} leaves out ${source.sourceId}${inEntity(part.entity)}, parked since its close of ${source.day} failed in every try (${source.reason})`,
    );
  return parked;
}

/** Each parked source the night left out, as the alert's item: what is wrong, in which entity, and what to run. */
function parkedItems(part: QueuedNightEntity, parked: ReadonlyMap<string, ParkedSource>): AlertItem[] {
  return part.sourceIds.flatMap((id) => {
    const source = parked.get(id);
    if (source === undefined) return [];
    return [
      {
        subject: id,
        kind: 'SourceParked',
        message: `${id}${inEntity(part.entity)} is parked, left out of the night, since its close of ${source.day} failed in every try: ${source.reason}`,
        nextStep: `fix what the reason says, then run \`ledgerline sync${part.entity === undefined ? '' : ` --entity ${part.entity}`} --source ${id}\`: it books the missed days and unparks it`,
      },
    ];
  });
}

function inEntity(entity: string | undefined): string {
  return entity === undefined ? '' : ` (entity ${entity})`;
}

/** A close's sources marked with the entity they book into, as the night's one record keeps every entity's. */
function withEntity(close: RecordedClose, entity: string | undefined): RecordedClose {
  return { ...close, sources: close.sources.map((source) => ({ ...source, entity })) };
}
