import type { Config, ScheduleConfig } from '../config/index.js';
import { EXIT, type ExitCode } from '../errors.js';
import { runQueuedSchedule, type NightlyRunResult } from '../pipeline/nightly/index.js';
import type { AppProcess } from './app-process.js';
import { withEachBooks } from './configured-books.js';
import { lateMoneyInTransit } from './late-money-in-transit.js';
import { chainHeadReads, closedPeriodDrift } from './night-verification.js';
import { alertSender } from './configured-alerts.js';
import { withFleetPings, withRunPings } from './pinged-runs.js';
import { dateInTimeZone } from '../calendar/index.js';
import { sendDueDigest } from './digest-sending.js';
import { waitForStop } from './wait-for-stop.js';
import { runRecords } from '../pipeline/runs/index.js';
import { parkedSources, syncBooks } from '../pipeline/sync/index.js';

/**
 * `schedule` with schedule.queue: one nightly queued night over every entity (the one --entity names, else each of
 * the file's), from the queue in the first entity's database as `sync --queue` uses it, recorded and alerted once in
 * and from the first entity's ledger, and followed by one digest covering them all when one is due.
 */
export async function queuedSchedule(
  context: AppProcess,
  configs: readonly Config[],
  schedule: ScheduleConfig,
  /** The configuration read again with the destinations' sections, for the closed periods' re-verification. */
  withDestinations: (names: string[]) => Config,
): Promise<ExitCode> {
  const config = configs[0]!;
  const dayOf = dateInTimeZone(schedule.timezone);
  return withEachBooks(configs, context.ledger, async (booksOfEach) => {
    const books = booksOfEach[0]!;
    const { logger, now, clock, redact, stopSignal } = context;
    const lateMoney = configs.map((each, index) => lateMoneyInTransit(context, each, booksOfEach[index]!));
    const drift = configs.map((each, index) => closedPeriodDrift(context, each, booksOfEach[index]!, withDestinations));
    await runQueuedSchedule({
      config,
      schedule,
      runs: books.of(runRecords),
      entities: configs.map((each, index) => ({
        entity: each.entity,
        syncBooks: booksOfEach[index]!.of(syncBooks),
        parkedSources: booksOfEach[index]!.of(parkedSources),
        sourceIds: each.sources.map((source) => source.id),
      })),
      // After each night: the digest due on its day (in the schedule's zone), covering every entity.
      afterNight: () => sendDueDigest(context, configs, dayOf(now())),
      alerts: alertSender(context, config),
      logger,
      now,
      clock,
      redact,
      stopSignal,
      untilStopped: () => waitForStop(stopSignal),
      ...(lateMoney.some((each) => each.lateMoneyInTransit !== undefined)
        ? { lateMoneyInTransit: everyEntity(lateMoney.map((each) => each.lateMoneyInTransit)) }
        : {}),
      closedPeriodDrift: everyEntity(drift.map((each) => each.closedPeriodDrift)),
      // The chain head witnessed is the first entity's: the ledger the night's record is kept in.
      chainHead: chainHeadReads(books),
      pinged: (night) => queuedNightPings(context, configs, night),
    });
    return EXIT.ok;
  });
}

/** A queued night's end (runQueuedSchedule's): the night's, and each entity's code from its own part. */
type QueuedNightResult = NightlyRunResult & { entityExitCode: (entity: string | undefined) => ExitCode };

/**
 * A queued night between the pings a local night sends: over several entities, the fleet's check (the top level's
 * `monitor.ping`) watches the process with the night's code, and inside it each entity's own check its own part
 * (`entities.NAME.monitor.ping`, the body naming it): north's parked panel ends north's and the fleet's with 3,
 * south's with 0. Over one, its own check, as the local night pings it.
 */
function queuedNightPings(
  context: AppProcess,
  configs: readonly Config[],
  night: () => Promise<QueuedNightResult>,
): Promise<QueuedNightResult> {
  if (configs.length === 1)
    return withRunPings(context, configs[0]!, 'the queued night', night, (result) => result.exitCode);
  const eachEntity = configs.reduceRight<() => Promise<QueuedNightResult>>(
    (inner, config) => () =>
      withRunPings(context, config, 'the queued night', inner, (result) => result.entityExitCode(config.entity)),
    night,
  );
  const names = configs.flatMap((config) => config.entity ?? []);
  return withFleetPings(
    context,
    configs[0]!,
    `the queued night of the fleet (${names.join(', ')})`,
    eachEntity,
    (result) => result.exitCode,
  );
}

/** One night's read over every entity: each entity's (those that have one), in the file's order. */
function everyEntity<T>(
  reads: readonly (((asOf: string) => Promise<readonly T[]>) | undefined)[],
): (asOf: string) => Promise<T[]> {
  return async (asOf) => (await Promise.all(reads.map((read) => read?.(asOf) ?? []))).flat();
}
