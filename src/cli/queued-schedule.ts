import type { Config, ScheduleConfig } from '../config/index.js';
import type { ExitCode } from '../errors.js';
import type { CommandProcess } from './command.js';
import { requirePostgresLedgers } from './entity-queue.js';
import { loadConfigFor } from '../app/configured-books.js';
import { queuedSchedule } from '../app/queued-schedule-run.js';

/**
 * `schedule` with schedule.queue, over each entity's PostgreSQL ledger: the queued nights, the configuration read
 * again as the command reads it.
 */
export function scheduleThroughQueue(
  context: CommandProcess,
  configs: readonly Config[],
  schedule: ScheduleConfig,
): Promise<ExitCode> {
  requirePostgresLedgers(configs, 'schedule.queue');
  return queuedSchedule(context, configs, schedule, (names) => loadConfigFor(context, { destinations: names }));
}
