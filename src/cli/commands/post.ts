import { DESTINATION_KINDS, closestName, loadMappings, type Config, type DestinationKind } from '../../config/index.js';
import { isCalendarDate } from '../../calendar/index.js';
import { printable } from '../../log/printable.js';
import { flagChoice } from '../flag-choice.js';
import { createDestinationClient, openTokenStore, type DestinationClient } from '../../destinations/index.js';
import { dateFlag, refuseReversedWindow, yesterdayIn } from '../../pipeline/calendar.js';
import { EXIT, UsageError, type ExitCode } from '../../errors.js';
import { createSystemClock, type Clock } from '../../http/clock.js';
import type { Ledger } from '../../ledger/index.js';
import { postEntries, type DeliveryWindow, type PostReport } from '../../pipeline/post/index.js';
import { planPost, type PostPlan } from '../../pipeline/post/index.js';
import { refuseUnfitOrganisation } from '../../pipeline/organisation-gate.js';
import type { HeldRun } from '../../pipeline/recorded-run.js';
import { nextStepFor } from '../../alerts/next-step.js';
import { refusedItem } from '../../pipeline/run-alerts.js';
import type { Command, CommandContext } from '../command.js';
import { configuredAlerts } from '../configured-alerts.js';
import { loadConfigFor, withLedger, writeJson } from '../load.js';
import { runRecorded, type RecordedResult } from '../run-recorded.js';
import { loadExchangeRates } from '../../pipeline/exchange-rates.js';
import { positiveInteger } from '../queue-flags.js';
import { runQueuedPost } from '../queued-post.js';

/** A run whose heartbeat is older than this is presumed dead; one request waits at most minutes (429s), never this long. */
const RUN_LOCK_STALE_MS = 30 * 60_000;
/** As long as the ledger's run lock trusts a silent run, as `sync --queue` waits. */
const DEFAULT_QUEUE_WAIT_SECONDS = 6 * 60 * 60;
/** Entries listed by name in the text plan; --json lists them all. */
const PLAN_LIST_LIMIT = 20;

export const postCommand: Command = {
  usage: 'ledgerline post xero|quickbooks [--from DATE] [--to DATE] [--dry-run | --queue [--queue-wait S] | --adopt-delivered] [--json]',
  arguments: 'xero | quickbooks',
  options: {
    from: { type: 'string', value: 'DATE', description: 'only entries dated on or after DATE' },
    // Repeatable: the older spelling named the destination with --to, and `post --to xero --from D --to D` must still mean it.
    to: { type: 'string', multiple: true, value: 'DATE', description: 'only entries dated on or before DATE (the older `--to xero|quickbooks` still names the destination)' },
    until: { type: 'string', value: 'DATE', description: 'the older spelling of --to DATE: still accepted, with a note' },
    'dry-run': { type: 'boolean', description: 'show what would be sent; send nothing' },
    queue: { type: 'boolean', description: 'PostgreSQL ledger: hand the post to a `ledgerline worker` through the queue and wait for it' },
    'queue-wait': { type: 'string', value: 'S', description: 'with --queue: wait at most S seconds for the worker (default 21600)' },
    'adopt-delivered': {
      type: 'boolean',
      description: 'journals the destination already holds under these numbers, sent by another copy of this ledger, are marked posted here instead of stopping the post',
    },
  },
  examples: [
    'ledgerline post xero --dry-run                                 # what would be sent',
    'ledgerline post quickbooks --to yesterday                      # deliver everything up to yesterday',
    'ledgerline post xero --from 2026-03-01 --to 2026-03-31         # one month',
  ],
  async run(context) {
    const { to, until } = readPostLine(context);
    const dryRun = context.values['dry-run'] === true;
    const adoptDelivered = context.values['adopt-delivered'] === true;
    if (adoptDelivered && (dryRun || context.values.queue === true)) throw new UsageError('--adopt-delivered goes with a local post, not with --dry-run or --queue');
    if (context.values.queue === true) {
      if (dryRun) throw new UsageError('--queue and --dry-run do not go together: a dry run sends nothing, so there is nothing to hand to a worker');
      // The worker reads the destination's credentials, not the process that queues its post.
      const config = loadConfigFor(context, {});
      const window = readWindow(context.values.from, until, yesterdayIn(config.timezone, context.now()));
      return runQueuedPost(context, config, to, window, positiveInteger('--queue-wait', context.values['queue-wait'], DEFAULT_QUEUE_WAIT_SECONDS), (name, report) =>
        printPostReport(context, name, report),
      );
    }
    if (context.values['queue-wait'] !== undefined) throw new UsageError('--queue-wait goes with --queue');
    const config = loadConfigFor(context, { destinations: [to], alerts: true });
    const window = readWindow(context.values.from, until, yesterdayIn(config.timezone, context.now()));
    return postTo(context, config, to, window, { dryRun, adoptDelivered, show: (name, report) => printPostReport(context, name, report) });
  },
};

/**
 * A recorded post (or dry run) to `to` over `window`, holding the ledger's run lock: what `post` runs, and
 * what a worker runs for a `post --queue` job. `show` is given the report of a real post.
 */
export async function postTo(
  context: CommandContext,
  config: Config,
  to: DestinationKind,
  window: DeliveryWindow,
  options: { dryRun: boolean; adoptDelivered?: boolean; show: (name: string, report: PostReport) => void },
): Promise<ExitCode> {
  const { dryRun } = options;
  const mappings = loadMappings({ chartPath: config.mappings, destinations: [to] });
  const clock = createSystemClock();
  // Built before the ledger is opened: a destination missing from the configuration stops here, having touched nothing.
  const client = await createDestinationClient(to, config, mappings, {
    tokenStore: openTokenStore(config.tokenStore),
    rates: loadExchangeRates(config.destinations.rates),
    clock,
    redact: context.redact,
    onSecrets: context.addSecrets,
    log: (line) => context.logger.info(line),
  });
  // A dry run is someone at the terminal: only a real post alerts.
  const alerts = dryRun ? undefined : configuredAlerts(context, config);
  try {
    return await withLedger(config, (ledger) =>
      runRecorded(
        context,
        ledger,
        { command: dryRun ? 'post --dry-run' : 'post', staleAfterMs: RUN_LOCK_STALE_MS, alerts: alerts && { to: alerts, label: `post to ${to}` } },
        async (run) => {
          // The checks of `doctor`, once for the run and inside it, so a refusal is recorded and alerted: an account
          // or setting the organisation cannot take, or credentials it refuses, stop the run before anything is sent.
          await refuseUnfitOrganisation(client, { config, mappings });
          return dryRun ? dryRunPost(context, ledger, client, window) : runPost(context, ledger, client, { to, window, adoptDelivered: options.adoptDelivered === true }, clock, run, options.show);
        },
      ),
    );
  } finally {
    await client.close();
  }
}

async function runPost(
  context: CommandContext,
  ledger: Ledger,
  client: DestinationClient,
  { to, window, adoptDelivered }: { to: DestinationKind; window: DeliveryWindow; adoptDelivered: boolean },
  clock: Clock,
  { runId, beat }: HeldRun,
  show: (name: string, report: PostReport) => void,
): Promise<RecordedResult> {
  const report = await postEntries({
    ledger,
    client,
    window,
    clock,
    adoptDelivered,
    log: (line) => context.logger.info(line, { runId }),
    onProgress: beat,
  });
  show(client.name, report);
  return {
    exitCode: report.stoppedBy ? report.stoppedBy.exitCode : report.refused.length > 0 ? EXIT.attention : EXIT.ok,
    summary: { posted: report.posted, refused: report.refused.length, skipped: report.skipped, unfinished: report.unfinished },
    ...(report.stoppedBy ? { error: report.stoppedBy.message } : {}),
    alertItems: {
      failures: report.stoppedBy
        ? [{ subject: to, kind: report.stoppedBy.error, message: report.stoppedBy.message, nextStep: nextStepFor(report.stoppedBy.error, to) }]
        : [],
      actionItems: report.refused.map((refusal) => refusedItem(to, refusal)),
    },
  };
}

/** What a post prints of its report: JSON, or the summary text, and the error that stopped it early on stderr. */
export function printPostReport(context: CommandContext, name: string, report: PostReport): void {
  if (context.json) writeJson(context, report);
  else context.stdout.write(context.redact(renderReport(name, report)));
  if (report.stoppedBy) context.stderr.write(`${context.redact(`error: ${report.stoppedBy.message}`)}\n`);
}

async function dryRunPost(context: CommandContext, ledger: Ledger, client: DestinationClient, window: DeliveryWindow): Promise<RecordedResult> {
  const plan = await planPost({ ledger, client, window });
  if (context.json) writeJson(context, plan);
  else context.stdout.write(context.redact(renderPlan(client.name, plan)));
  return { exitCode: EXIT.ok, summary: { wouldSend: plan.entries.length, calls: plan.calls.total } };
}

/**
 * The destination and the window's end of a post's command line (DESIGN §6: `post xero|quickbooks
 * [--from DATE --to DATE]`). The older spellings keep working with a note on stderr: `--to xero` names
 * the destination (so `post --to xero --from D --to D` is xero over D..D) and `--until D` ends the window.
 */
function readPostLine(context: CommandContext): { to: DestinationKind; until: string | undefined } {
  const [named, ...extra] = context.positionals;
  const toValues = Array.isArray(context.values.to) ? context.values.to : [];
  const legacy = toValues.filter((value) => (DESTINATION_KINDS as readonly string[]).includes(value));
  const ends = toValues.filter((value) => !legacy.includes(value));
  if (extra.length > 0) throw new UsageError(`post takes one destination, not "${extra.join(' ')}": ledgerline post ${DESTINATION_KINDS.join('|')} [--from DATE --to DATE]`);
  const destinations = [...(named === undefined ? [] : [flagChoice(context, 'post', named, DESTINATION_KINDS)]), ...(legacy as DestinationKind[])];
  if (new Set(destinations).size > 1) throw new UsageError(`post delivers to one destination at a time, not ${destinations.join(' and ')}: run "ledgerline post ${destinations[0]!}" and "ledgerline post ${destinations[1]!}"`);
  const to = destinations[0];
  if (to === undefined) {
    const close = ends.map((end) => closestName(end, DESTINATION_KINDS)).find((name) => name !== undefined);
    throw new UsageError(`post needs a destination, ${DESTINATION_KINDS.join(' or ')}: ${close ? `did you mean "ledgerline post ${close}"?` : `e.g. "ledgerline post ${DESTINATION_KINDS[0]} --dry-run"`}`);
  }
  if (legacy.length > 0) context.stderr.write(`note: "post --to ${to}" is the older spelling of "post ${to}"; --to now ends the window (--from DATE --to DATE), as in every other command\n`);
  if (ends.length > 1) throw new UsageError(`--to takes one date, the window's end, not ${ends.map((end) => `"${end}"`).join(' and ')}`);
  const until = typeof context.values.until === 'string' ? context.values.until : undefined;
  if (until !== undefined && ends.length > 0) throw new UsageError('--until is the older spelling of --to DATE: give one of them');
  if (until !== undefined) context.stderr.write('note: --until is the older spelling of --to DATE; it still works\n');
  const end = ends[0] ?? until;
  if (end !== undefined && end !== 'yesterday' && !isCalendarDate(end)) {
    const close = closestName(end, DESTINATION_KINDS);
    throw new UsageError(`--to takes a date YYYY-MM-DD or "yesterday", the window's end, not "${printable(end)}"${close ? `; did you mean "ledgerline post ${close}"?` : ''}`);
  }
  return { to, until: end };
}

function readWindow(from: unknown, until: string | undefined, yesterday: string): DeliveryWindow {
  const window = { from: dateFlag('--from', from, yesterday), until: dateFlag('--to', until, yesterday) };
  refuseReversedWindow({ flag: '--from', date: window.from }, { flag: '--to', date: window.until });
  return window;
}

function renderReport(name: string, report: PostReport): string {
  const lines = [
    report.posted + report.refused.length + report.skipped === 0 && !report.stoppedBy
      ? `${name}: nothing to post (every entry in the window is delivered)`
      : `${name}: ${report.posted} posted${report.confirmedByLookup > 0 ? ` (${report.confirmedByLookup} found already delivered by a look-up)` : ''}, ` +
        `${report.refused.length} refused${report.skipped > 0 ? `, ${report.skipped} skipped (every line rounds to 0.00)` : ''}`,
  ];
  if (report.lockDate) lines.push(`lock date at ${name}: ${report.lockDate}`);
  if (report.refused.length > 0) {
    lines.push('refused (they stay unposted; later posts try again):');
    for (const refusal of report.refused) lines.push(`  ${refusal.entryId} (${refusal.date}): ${refusal.reason}`);
  }
  if (report.stoppedBy) lines.push(`stopped early: ${report.unfinished} entr${report.unfinished === 1 ? 'y' : 'ies'} left for the next post`);
  lines.push(`API calls: ${report.calls.reads} read${report.calls.reads === 1 ? '' : 's'}, ${report.calls.writes} write${report.calls.writes === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}

function renderPlan(name: string, plan: PostPlan): string {
  const window = plan.window.from || plan.window.until ? `${plan.window.from ?? 'the first entry'} to ${plan.window.until ?? 'the last entry'}` : 'every undelivered entry';
  const lines = [`dry run: post to ${name} (nothing is sent)`, `window: ${window}`, `lock date at ${name}: ${plan.lockDate ?? 'none'}`];
  lines.push(`entries to send: ${plan.entries.length}`);
  for (const entry of plan.entries.slice(0, PLAN_LIST_LIMIT)) {
    const { conversion } = entry;
    const rate = conversion === undefined ? '' : `  (${conversion.currency}→${conversion.base} at ${conversion.rate}, ${conversion.source})`;
    lines.push(`  ${entry.date}  ${entry.id}  ${entry.description}${rate}`);
  }
  if (plan.entries.length > PLAN_LIST_LIMIT) lines.push(`  … and ${plan.entries.length - PLAN_LIST_LIMIT} more (--json lists them all)`);
  if (plan.toResolve.length > 0) lines.push(`open deliveries to look up first (an earlier run did not hear back): ${plan.toResolve.length}`);
  if (plan.toSkip.length > 0) lines.push(`skipped, nothing to post (every line rounds to 0.00): ${plan.toSkip.length}`);
  if (plan.toRefuse.length > 0) {
    lines.push(`refused without sending: ${plan.toRefuse.length}`);
    for (const refusal of plan.toRefuse) lines.push(`  ${refusal.entryId} (${refusal.date}): ${refusal.reason}`);
  }
  if (plan.totals.length > 0) {
    lines.push('totals per account:');
    const width = Math.max(...plan.totals.map((total) => total.account.length));
    for (const total of plan.totals) lines.push(`  ${total.account.padEnd(width)}  ${total.currency}  Dr ${total.debit.padStart(14)}  Cr ${total.credit.padStart(14)}`);
  }
  const { calls, forecast } = plan;
  const allowances = [
    `${forecast.requestsPerMinute} calls a minute`,
    ...(forecast.writesPerMinute === undefined ? [] : [`${forecast.writesPerMinute} writes a minute`]),
    ...(forecast.requestsPerDay === undefined ? [] : [`${forecast.requestsPerDay} a day`]),
  ];
  lines.push(
    `API calls: ${calls.reads} read${calls.reads === 1 ? '' : 's'} + ${calls.writes} write${calls.writes === 1 ? '' : 's'} = ${calls.total}; ` +
      `${name} allows ${allowances.join(', ')}: at least ${forecast.minutesAtLimit} minute${forecast.minutesAtLimit === 1 ? '' : 's'}` +
      `${forecast.percentOfDay === undefined ? '' : `, ${forecast.percentOfDay} % of the day's allowance`}`,
  );
  return `${lines.join('\n')}\n`;
}
