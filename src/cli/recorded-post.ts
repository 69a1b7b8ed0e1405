import type { Config } from '../config/index.js';
import { EXIT, type ExitCode } from '../errors.js';
import { createSystemClock } from '../http/index.js';
import {
  bankDocumentsLine,
  openDestination,
  postInRun,
  type BankDocumentsReport,
  type DeliveryWindow,
  type PostPlan,
  type PostReport,
} from '../pipeline/post/index.js';
import type { CommandProcess } from './command.js';
import { configuredAlerts } from '../app/configured-alerts.js';
import { postDestinationNamed } from '../app/destination-choices.js';
import { sidePartsOf } from '../app/post-side-parts.js';
import { withBooksFor, writeJson } from './load.js';
import { runRecorded } from '../app/run-recorded.js';
import { printBudgetPlan } from './post-budget-plan.js';

/** A run whose heartbeat is older than this is presumed dead; one request waits at most minutes (429s), never this long. */
const RUN_LOCK_STALE_MS = 30 * 60_000;
/** Entries listed by name in the text plan; --json lists them all. */
const PLAN_LIST_LIMIT = 20;
/** Why a post skips an entry at a destination, as its summary says it. */
const SKIPPED_WHY = 'nothing to send there: every line rounds to 0.00, or a bank-side document settles it';

/**
 * A recorded post (or dry run) to `to` over `window`, holding the ledger's run lock: what `post` runs, and
 * what a worker runs for a `post --queue` job. `show` is given the report of a real post.
 */
export async function postTo(
  context: CommandProcess,
  config: Config,
  to: string,
  window: DeliveryWindow,
  options: {
    dryRun: boolean;
    /** With dryRun: print the budget's plan (calls, calls left today, days, order) instead of the dry run's. */
    plan?: boolean;
    adoptDelivered?: boolean;
    show: (name: string, report: PostReport, bankDocuments?: BankDocumentsReport) => void;
  },
): Promise<ExitCode> {
  const clock = createSystemClock();
  const destination = postDestinationNamed(to);
  const { client, mappings, bankDocuments, evidenceAttachments } = await openDestination(destination, config, {
    clock,
    redact: context.redact,
    onSecrets: context.addSecrets,
    log: (line) => context.logger.info(line),
    stopSignal: context.stopSignal,
  });
  const alerts = options.dryRun ? undefined : configuredAlerts(context, config); // a dry run is someone at the terminal
  try {
    return await withBooksFor(config, {}, (books) =>
      runRecorded(
        context,
        books.runRecords,
        {
          command: options.plan === true ? 'post --plan' : options.dryRun ? 'post --dry-run' : 'post',
          staleAfterMs: RUN_LOCK_STALE_MS,
          alerts: alerts && { to: alerts, label: `post to ${to}`, destinations: [to] },
          config: options.dryRun ? undefined : config,
        },
        async ({ runId, beat }) => {
          const result = await postInRun(
            { ledger: books.ledger, outbox: books.postOutbox(client.kind) },
            {
              config,
              mappings,
              client,
              window,
              dryRun: options.dryRun,
              adoptDelivered: options.adoptDelivered === true,
              clock,
              log: (line) => context.logger.info(line, { runId }),
              onProgress: beat,
              ...sidePartsOf(books, config, destination, client.kind, { bankDocuments, evidenceAttachments }),
            },
          );
          if (result.kind === 'planned' && options.plan === true)
            printBudgetPlan(context, client.name, result.plan, result.nights);
          else if (result.kind === 'planned') printPlan(context, client.name, result.plan);
          else options.show(client.name, result.report, result.bankDocuments);
          logAttachedEvidence(
            context,
            client.name,
            runId,
            result.kind === 'posted' ? result.evidenceAttachments : undefined,
          );
          return result.outcome;
        },
      ),
    );
  } finally {
    await client.close();
    await bankDocuments?.client.close();
    await evidenceAttachments?.close();
  }
}

/** What became of the evidence files, in the run's log: counted, and each refusal with its reason. */
function logAttachedEvidence(
  context: CommandProcess,
  name: string,
  runId: string,
  attached:
    { attached: unknown[]; found: unknown[]; open: unknown[]; refused: { file: string; reason: string }[] } | undefined,
): void {
  if (attached === undefined) return;
  context.logger.info(
    `${name}: evidence files attached ${attached.attached.length}, found already there ${attached.found.length}, ` +
      `left open ${attached.open.length}, refused ${attached.refused.length}`,
    { runId },
  );
  for (const refusal of attached.refused)
    context.logger.warn(`${name}: evidence ${refusal.file} not attached: ${refusal.reason}`, { runId });
}

/** What a post prints of its report (and of the bank-side documents it created): JSON, or the summary text, and the error that stopped it early on stderr. */
export function printPostReport(
  context: CommandProcess,
  name: string,
  report: PostReport,
  bankDocuments?: BankDocumentsReport,
): void {
  if (context.json) writeJson(context, bankDocuments === undefined ? report : { ...report, bankDocuments });
  else
    context.stdout.write(
      context.redact(
        `${renderReport(name, report)}${bankDocuments === undefined ? '' : `${bankDocumentsLine(name, bankDocuments)}\n`}`,
      ),
    );
  // A stop asked for (exit 0) is no error: it says why the post ended early.
  if (report.stoppedBy)
    context.stderr.write(
      `${context.redact(`${report.stoppedBy.exitCode === EXIT.ok ? 'stopped' : 'error'}: ${report.stoppedBy.message}`)}\n`,
    );
}

function printPlan(context: CommandProcess, name: string, plan: PostPlan): void {
  if (context.json) writeJson(context, plan);
  else context.stdout.write(context.redact(renderPlan(name, plan)));
}

function renderReport(name: string, report: PostReport): string {
  const lines = [
    report.posted + report.refused.length + report.skipped === 0 && !report.stoppedBy
      ? `${name}: nothing to post (every entry in the window is delivered)`
      : `${name}: ${report.posted} posted${report.confirmedByLookup > 0 ? ` (${report.confirmedByLookup} found already delivered by a look-up)` : ''}, ` +
        `${report.refused.length} ` +
        `refused${report.skipped > 0 ? `, ${report.skipped} skipped (${SKIPPED_WHY})` : ''}`,
  ];
  if (report.lockDate) lines.push(`lock date at ${name}: ${report.lockDate}`);
  if (report.refused.length > 0) {
    lines.push('refused (they stay unposted; later posts try again):');
    for (const refusal of report.refused) lines.push(`  ${refusal.entryId} (${refusal.date}): ${refusal.reason}`);
  }
  if (report.stoppedBy)
    lines.push(
      `stopped early: ${report.unfinished} entr${report.unfinished === 1 ? 'y' : 'ies'} left for the next post`,
    );
  lines.push(
    `API calls: ${report.calls.reads} read${report.calls.reads === 1 ? '' : 's'}, ${report.calls.writes} write${report.calls.writes === 1 ? '' : 's'}`,
  );
  return `${lines.join('\n')}\n`;
}

function renderPlan(name: string, plan: PostPlan): string {
  const window =
    plan.window.from || plan.window.until
      ? `${plan.window.from ?? 'the first entry'} to ${plan.window.until ?? 'the last entry'}`
      : 'every undelivered entry';
  const lines = [
    `dry run: post to ${name} (nothing is sent)`,
    `window: ${window}`,
    `lock date at ${name}: ${plan.lockDate ?? 'none'}`,
  ];
  lines.push(`entries to send: ${plan.entries.length}`);
  for (const entry of plan.entries.slice(0, PLAN_LIST_LIMIT)) {
    const { conversion } = entry;
    const rate =
      conversion === undefined
        ? ''
        : `  (${conversion.currency}→${conversion.base} at ${conversion.rate}, ${conversion.source})`;
    lines.push(`  ${entry.date}  ${entry.id}  ${entry.description}${rate}`);
    for (const line of entry.taxLines ?? [])
      lines.push(
        `      ${line.account}  ${line.amount}  ${line.code}${line.tax === undefined ? '' : `  tax ${line.tax}`}` +
          `${line.flow === undefined ? '' : `  (${line.flow})`}`,
      );
  }
  if (plan.entries.length > PLAN_LIST_LIMIT)
    lines.push(`  … and ${plan.entries.length - PLAN_LIST_LIMIT} more (--json lists them all)`);
  if (plan.toResolve.length > 0)
    lines.push(`open deliveries to look up first (an earlier run did not hear back): ${plan.toResolve.length}`);
  if (plan.toSkip.length > 0)
    lines.push(
      `skipped, nothing to post (every line rounds to 0.00, or a bank-side document settles it): ${plan.toSkip.length}`,
    );
  if (plan.toRefuse.length > 0) {
    lines.push(`refused without sending: ${plan.toRefuse.length}`);
    for (const refusal of plan.toRefuse) lines.push(`  ${refusal.entryId} (${refusal.date}): ${refusal.reason}`);
  }
  if (plan.totals.length > 0) {
    lines.push('totals per account:');
    const width = Math.max(...plan.totals.map((total) => total.account.length));
    for (const total of plan.totals)
      lines.push(
        `  ${total.account.padEnd(width)}  ${total.currency}  Dr ${total.debit.padStart(14)}  Cr ${total.credit.padStart(14)}`,
      );
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
