import { z } from 'zod';
import { ConfigError, EXIT, UsageError } from '../../errors.js';
import { whileHoldingLedger } from '../../app/ledger-holders.js';
import { startCronSchedule } from '../../scheduler/cron-schedule.js';
import { mappingsOf } from '../../app/destination-choices.js';
import type { Command } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { configMappings, loadConfigFor, loadEachEntityConfigFor, withBooksFor } from '../../app/configured-books.js';
import { waitForStop } from '../../app/wait-for-stop.js';
import { nightlyRun } from '../../app/local-night-run.js';
import { withDueDigest } from '../../app/digest-sending.js';
import { requirePostgresLedgers } from '../entity-queue.js';
import { queuedSchedule } from '../../app/queued-schedule-run.js';

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
      // The queued nights over each entity's PostgreSQL ledger, the configuration read again as the command reads it.
      requirePostgresLedgers(configs, 'schedule.queue');
      return queuedSchedule(context, configs, schedule, (names) => loadConfigFor(context, { destinations: names }));
    }
    // A local night books one ledger: with several entities, loadConfigFor asks for --entity.
    const config = configs.length === 1 ? configs[0]! : loadConfigFor(context, { schedule: true });
    const mappings = configMappings(config, mappingsOf(schedule.post));
    // Registered among the ledger's holders: refused while `migrate --to` moves the file, which waits for it in turn.
    return whileHoldingLedger(context, config.ledger, context.flags.once ? 'schedule --once' : 'schedule', () =>
      withBooksFor(config, context.ledger, async (books) => {
        const drift = (names: string[]) => loadConfigFor(context, { destinations: names });
        const nightly = withDueDigest(
          context,
          config,
          schedule,
          nightlyRun(context, config, schedule, mappings, books, drift),
        );
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
