import { z } from 'zod';
import { sourceKinds } from '../../pipeline/kinds/index.js';
import { loadMappings, type Config, type Mappings, type ScheduleConfig } from '../../config/index.js';
import { ConfigError, EXIT, UsageError, type ExitCode } from '../../errors.js';
import { createSystemClock } from '../../http/index.js';
import { localNightSteps, runNightly, runQueuedSchedule, type NightlyRunResult } from '../../pipeline/nightly/index.js';
import { panelProxyMayRun, whileHoldingLedger } from '../ledger-holders.js';
import { startCronSchedule } from '../../scheduler/cron-schedule.js';
import { mappingsOf, postDestinationNamed } from '../destination-choices.js';
import type { Command, CommandProcess } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { loadConfigFor, loadEachEntityConfigFor, withBooksFor } from '../load.js';
import { witnessedSyncStep } from '../../pipeline/witness/index.js';
import { requirePostgresLedgers, withEachBooks } from '../entity-queue.js';
import type { Books } from '../../app/index.js';
import { lateMoneyInTransit } from '../late-money-in-transit.js';
import { chainHeadReads, closedPeriodDrift } from '../closed-period-drift.js';
import { localRunLock } from '../local-run-lock.js';
import { alertSender } from '../configured-alerts.js';
import { waitForStop } from '../wait-for-stop.js';
import { withFleetPings, withRunPings } from '../run-pings.js';
import { sendDueDigest } from '../digest-sending.js';
import { dateInTimeZone } from '../../calendar/index.js';
import { syncStepWithSilence } from '../../pipeline/status/index.js';

export const scheduleCommand: Command = withFlags({
  usage: 'ledgerline schedule [--once] [--log-file PATH]',
  flags: z.object({ once: flag.boolean("run one night's sync (and posts) now, then exit") }),
  examples: [
    'ledgerline schedule                          # stays running; syncs on schedule.cron',
    'ledgerline schedule --once --log-file run.log',
  ],
  async run(context) {
    // Each entity's (the file's own without `entities:`): a queued night runs over all of them.
    const configs = loadEachEntityConfigFor(context, { schedule: true });
    const schedule = configs[0]!.schedule;
    // loadConfig has already refused a configuration without one; this tells the type checker.
    if (schedule === undefined)
      throw new ConfigError([{ file: configs[0]!.file, path: 'schedule', message: 'is not configured' }]);
    if (schedule.queue === true) {
      if (context.flags.once)
        throw new UsageError(
          '--once runs the night in this process; with schedule.queue the workers run it: use `sync --queue` and `post --queue`',
        );
      return queuedSchedule(context, configs, schedule);
    }
    // A local night books one ledger: with several entities, loadConfigFor asks for --entity.
    const config = configs.length === 1 ? configs[0]! : loadConfigFor(context, { schedule: true });
    const mappings = loadMappings({
      chartPath: config.mappings,
      vocabularies: config.vocabularies,
      destinations: mappingsOf(schedule.post),
    });
    // Registered among the ledger's holders: refused while `migrate --to` moves the file, which waits for it in turn.
    return whileHoldingLedger(context, config.ledger, context.flags.once ? 'schedule --once' : 'schedule', () =>
      withBooksFor(config, {}, async (books) => {
        const nightly = nightlyRun(context, config, schedule, mappings, books);
        if (context.flags.once) return (await nightly()).exitCode;

        const scheduler = startCronSchedule({
          expression: schedule.cron,
          timezone: schedule.timezone,
          job: async () => {
            await nightly();
          },
          logger: context.logger,
        });
        context.logger.info(
          `scheduled "${schedule.cron}" in ${schedule.timezone}; next run at ${scheduler.nextRunAt()?.toISOString() ?? 'never'}`,
        );
        await waitForStop(context.stopSignal);
        context.logger.info('stopping: no new runs; waiting for the run in progress to finish its step');
        await scheduler.stop();
        return EXIT.ok;
      }),
    );
  },
});

/**
 * A scheduled night, then the digest when monitor.digest asks for one on the night's day (in the schedule's zone):
 * the digest reads the books the night just wrote.
 */
function withDueDigest(
  context: CommandProcess,
  config: Config,
  schedule: ScheduleConfig,
  night: () => Promise<NightlyRunResult>,
): () => Promise<NightlyRunResult> {
  const dayOf = dateInTimeZone(schedule.timezone);
  return async () => {
    const result = await night();
    await sendDueDigest(context, [config], dayOf(context.now()));
    return result;
  };
}

function nightlyRun(
  context: CommandProcess,
  config: Config,
  schedule: ScheduleConfig,
  mappings: Mappings,
  books: Books,
): () => Promise<NightlyRunResult> {
  const steps = localNightSteps({
    config,
    mappings,
    ledger: books.ledger,
    books: books.nightBooks,
    runs: books.runRecords,
    syncBooks: books.syncBooks,
    clock: createSystemClock(),
    now: context.now,
    redact: context.redact,
    onSecrets: context.addSecrets,
    sourceKinds: sourceKinds.forSync(),
    postDestination: postDestinationNamed,
    proxyAnswering: (sourceId) => panelProxyMayRun(config.ledger, sourceId),
    evidenceBooks: books.evidenceBooks,
    evidenceAttachments: (destination) => books.evidenceAttachments(destination),
  });
  const alerts = alertSender(context, config);
  return withDueDigest(context, config, schedule, () =>
    withRunPings(
      context,
      config,
      'the scheduled night',
      () =>
        runNightly({
          runs: books.runRecords,
          schedule,
          sandboxClock: config.sandboxClock,
          ...steps,
          sync: witnessedSyncStep(config.witness, books, syncStepWithSilence(books, config, steps.sync)),
          alerts,
          tokenExpiry: { tokenStorePath: config.tokenStore, withinDays: config.alerts.tokenExpiryDays },
          logger: context.logger,
          now: context.now,
          stopSignal: context.stopSignal,
          redact: context.redact,
          lock: {
            choice: localRunLock(
              config,
              config.sources.map((source) => source.id),
            ),
          },
          ...lateMoneyInTransit(context, config, books),
          ...closedPeriodDrift(context, config, books),
          chainHead: chainHeadReads(books),
        }),
      (result) => result.exitCode,
    ),
  );
}

/**
 * `schedule` with schedule.queue: one nightly queued night over every entity (the one --entity names, else each of
 * the file's), from the queue in the first entity's database as `sync --queue` uses it, recorded and alerted once in
 * and from the first entity's ledger, and followed by one digest covering them all when one is due.
 */
async function queuedSchedule(
  context: CommandProcess,
  configs: readonly Config[],
  schedule: ScheduleConfig,
): Promise<ExitCode> {
  requirePostgresLedgers(configs, 'schedule.queue');
  const config = configs[0]!;
  const dayOf = dateInTimeZone(schedule.timezone);
  return withEachBooks(configs, async (booksOfEach) => {
    const books = booksOfEach[0]!;
    const { logger, now, redact, stopSignal } = context;
    const lateMoney = configs.map((each, index) => lateMoneyInTransit(context, each, booksOfEach[index]!));
    const drift = configs.map((each, index) => closedPeriodDrift(context, each, booksOfEach[index]!));
    await runQueuedSchedule({
      config,
      schedule,
      runs: books.runRecords,
      entities: configs.map((each, index) => ({
        entity: each.entity,
        syncBooks: booksOfEach[index]!.syncBooks,
        parkedSources: booksOfEach[index]!.parkedSources,
        sourceIds: each.sources.map((source) => source.id),
      })),
      afterNight: () => sendDueDigest(context, configs, dayOf(now())),
      alerts: alertSender(context, config),
      logger,
      now,
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
  context: CommandProcess,
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
