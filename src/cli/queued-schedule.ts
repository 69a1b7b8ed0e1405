import type { Config, ScheduleConfig } from '../config/index.js';
import type { ExitCode } from '../errors.js';
import type { CommandProcess } from './command.js';
import { sendDueDigest } from '../app/digest-sending.js';
import { requirePostgresLedgers } from './entity-queue.js';
import { loadConfigFor } from '../app/configured-books.js';
import { readEntityStatuses } from '../app/entity-status-reads.js';
import { queuedSchedule } from '../app/queued-schedule-run.js';
import { waitForStop } from '../app/wait-for-stop.js';

/**
 * `schedule` with schedule.queue, over each entity's PostgreSQL ledger: the queued nights with the command's
 * books, configuration, digest (status --exceptions over every entity) and stop.
 */
export function scheduleThroughQueue(
  context: CommandProcess,
  configs: readonly Config[],
  schedule: ScheduleConfig,
): Promise<ExitCode> {
  requirePostgresLedgers(configs, 'schedule.queue');
  return queuedSchedule(context, configs, schedule, {
    withDestinations: (names) => loadConfigFor(context, { destinations: names }),
    afterNight: (day) => sendDueDigest(context, configs, day, (each) => readEntityStatuses(context, each)),
    untilStopped: () => waitForStop(context.stopSignal),
  });
}
