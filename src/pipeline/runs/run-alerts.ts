import type { Alert, AlertItem } from '../../alerts/alert.js';
import type { AlertSender } from '../../alerts/alert-sender.js';
import { failureItem } from '../../alerts/next-step.js';
import { readRefreshTokenExpiries, tokenExpiryAlert } from '../../alerts/token-expiry.js';
import type { Logger } from '../../log/index.js';
import type { Finding } from '../../rules/index.js';
import { itemClass, type FindingClasses } from './findings-listed.js';
import type { SyncReport } from './sync-report.js';
import { messageOf } from '../../errors.js';

/** The one alert sender, and what every run that alerts checks besides its own outcome. */
export interface RunAlerts {
  sender: AlertSender;
  /** Where the destinations' refresh tokens are stored, and how early to warn before they expire. */
  tokenExpiry: { tokenStorePath: string; withinDays: number };
  now: () => Date;
}

/** What a run has to tell a person: why it failed, and the new items that need one. */
export interface RunAlertItems {
  failures: AlertItem[];
  actionItems: AlertItem[];
}

export interface AlertedRun {
  /** How the titles name the run: "the scheduled run of 2026-03-04", "sync as of 2026-03-04", "post to xero". */
  label: string;
  runId: string;
  asOf?: string | undefined;
  /** The ledger's chain head as the run left it, carried by every alert of the run. */
  chainHead?: { entryId: string; hash: string } | undefined;
}

/**
 * At the end of a run (sync, post or the scheduler's): a run_failed alert for
 * its failures, a discrepancies alert for its new action items, then a
 * token_expiring alert for any destination authorization about to lapse.
 * Never throws: an alert that cannot be sent is logged and the run's outcome stands.
 */
export async function alertRunEnd(
  alerts: RunAlerts,
  log: Logger,
  run: AlertedRun,
  items: RunAlertItems,
): Promise<void> {
  if (items.failures.length > 0) await sendAlert(alerts.sender, log, failedAlert(run, items.failures));
  if (items.actionItems.length > 0) {
    await sendAlert(alerts.sender, log, {
      kind: 'discrepancies',
      title: `ledgerline: ${run.label} found ${items.actionItems.length} item${items.actionItems.length === 1 ? '' : 's'} to look at`,
      runId: run.runId,
      ...(run.asOf === undefined ? {} : { asOf: run.asOf }),
      items: items.actionItems,
      ...(run.chainHead === undefined ? {} : { chainHead: run.chainHead }),
    });
  }
  await checkTokenExpiry(alerts, log);
}

export function failedAlert(run: AlertedRun, items: readonly AlertItem[]): Alert {
  const first = items[0];
  return {
    kind: 'run_failed',
    title: `ledgerline: ${run.label} failed${first === undefined ? '' : ` (${first.subject}: ${first.kind})`}`,
    runId: run.runId,
    ...(run.asOf === undefined ? {} : { asOf: run.asOf }),
    items,
    ...(run.chainHead === undefined ? {} : { chainHead: run.chainHead }),
  };
}

/** A sync's failed sources, and its new findings that need a person (information items are for the record) and quarantined replies. */
export function syncAlertItems(report: SyncReport, findingWords: FindingClasses): RunAlertItems {
  const items: RunAlertItems = { failures: [], actionItems: [] };
  for (const source of report.sources) {
    // A source's failure: no destination's advice is due.
    if (source.error) items.failures.push(failureItem(source.sourceId, source.error, []));
    const actionFindings = source.findings.filter((found) => itemClass(found.kind, findingWords) === 'action');
    items.actionItems.push(...actionFindings.map(findingItem));
    if (source.quarantined > 0) items.actionItems.push(quarantineItem(source.sourceId, source.quarantined));
  }
  return items;
}

export function refusedItem(
  destination: string,
  refused: { entryId: string; date: string; reason: string },
): AlertItem {
  return {
    subject: destination,
    kind: 'refused_entry',
    message: `${refused.entryId} (${refused.date}): ${refused.reason}`,
    nextStep:
      `it stays unposted and later runs retry it; \`ledgerline status\` lists refused entries (for ` +
      `a closed period, ask the accountant to move the lock date in ${destination})`,
  };
}

function findingItem(found: Finding): AlertItem {
  return {
    subject: found.sourceId,
    kind: found.kind,
    message: `${found.date}: ${found.message}`,
    nextStep: 'run `ledgerline reconcile` to see it with the other open items',
  };
}

function quarantineItem(sourceId: string, count: number): AlertItem {
  return {
    subject: sourceId,
    kind: 'quarantined_reply',
    message: `${count} ${count === 1 ? 'reply' : 'replies'} from ${sourceId} could not be read and ${count === 1 ? 'was' : 'were'} quarantined`,
    nextStep: 'run `ledgerline reconcile` to see what was quarantined and why',
  };
}

export async function sendAlert(sender: AlertSender, log: Logger, alert: Alert): Promise<void> {
  try {
    await sender.send(alert, log);
  } catch (error) {
    log.error(`alert not sent: ${messageOf(error)}`);
  }
}

async function checkTokenExpiry(alerts: RunAlerts, log: Logger): Promise<void> {
  let alert: Alert | undefined;
  try {
    alert = tokenExpiryAlert(
      readRefreshTokenExpiries(alerts.tokenExpiry.tokenStorePath),
      alerts.now(),
      alerts.tokenExpiry.withinDays,
    );
  } catch (error) {
    log.warn(`token expiry not checked: ${messageOf(error)}`);
    return;
  }
  if (alert !== undefined) await sendAlert(alerts.sender, log, alert);
}
