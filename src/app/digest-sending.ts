import type { Alert } from '../alerts/alert.js';
import { digestAlert, type DigestCadence } from '../alerts/digest-alert.js';
import { dateInTimeZone, dayNumber } from '../calendar/index.js';
import type { Config, ScheduleConfig } from '../config/index.js';
import type { NightlyRunResult } from '../pipeline/nightly/index.js';
import type { AppProcess } from './app-process.js';
import { alertSender } from './configured-alerts.js';
import { exceptionsOf } from './entity-statuses.js';
import { readEntityStatuses } from './entity-status-reads.js';
import { messageOf } from '../errors.js';

/** The digest of what needs a person across the entities' books (status --exceptions), as one alert. */
export async function composeDigest(context: AppProcess, configs: readonly Config[]): Promise<Alert> {
  const statuses = await readEntityStatuses(context, configs);
  return digestAlert(configs[0]!.monitor.digest ?? 'daily', {
    today: statuses[0]?.today ?? context.now().toISOString().slice(0, 10),
    sources: configs.reduce((sum, config) => sum + config.sources.length, 0),
    // An item a person acknowledged (and whose facts have not changed since) is not sent again.
    exceptions: exceptionsOf(statuses).filter((exception) => exception.state === 'open'),
  });
}

/** The digest sent through the configured channels: undefined when none is configured, else whether each took it. */
export async function sendDigest(context: AppProcess, config: Config, alert: Alert): Promise<boolean | undefined> {
  if (config.alerts.webhookUrl === undefined && config.alerts.command === undefined) return undefined;
  const deliveries = await alertSender(context, config).send(alert);
  return deliveries.every((delivery) => delivery.delivered);
}

/**
 * Whether the scheduled night of `day` sends the digest: a daily one every night, a weekly one on Monday's night
 * (the week just ended). Example: weekly on 2026-03-09, a Monday → sent; on 2026-03-05, a Thursday → not.
 */
function digestDue(cadence: DigestCadence, day: string): boolean {
  // Day 0, 1970-01-01, was a Thursday: (n + 4) % 7 is 0 on Sundays, 1 on Mondays.
  return cadence === 'daily' || (dayNumber(day) + 4) % 7 === 1;
}

/**
 * After a scheduled night: the digest, when monitor.digest asks for one on this night's day, covering every entity
 * of `configs` (a queued night's), sent through the first's channels. A failure only warns.
 */
export async function sendDueDigest(context: AppProcess, configs: readonly Config[], day: string): Promise<void> {
  const config = configs[0]!;
  const cadence = config.monitor.digest;
  if (cadence === undefined || !digestDue(cadence, day)) return;
  try {
    await sendDigest(context, config, await composeDigest(context, configs));
  } catch (error) {
    context.logger.warn(`the ${cadence} digest was not sent: ${messageOf(error)}`);
  }
}

/**
 * A scheduled night, then the digest when monitor.digest asks for one on the night's day (in the schedule's zone):
 * the digest reads the books the night just wrote.
 */
export function withDueDigest(
  context: AppProcess,
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
