import { bankDocumentsLine } from './transit-documents.js';
import type { BankDocumentsReport } from './bank-documents.js';
import type { PostPlan } from './post-plan.js';
import type { PostReport } from './post-entries.js';
import type { PostRunResult } from './recorded-post.js';
import { budgetPlanText } from './budget-plan-text.js';

/** Entries listed by name in the text plan; --json lists them all. */
const PLAN_LIST_LIMIT = 20;
/** Why a post skips an entry at a destination, as its summary says it. */
const SKIPPED_WHY =
  'nothing to send there: every line rounds to 0.00 or nets to zero there, or a bank-side document settles it';

/**
 * What `post` shows of its run's result: with --plan (`budgetPlan`) the budget's plan, with --dry-run the dry run's
 * plan, else the report of the post and of the bank-side documents it created.
 */
export function renderPostRun(name: string, result: PostRunResult, budgetPlan: boolean): string {
  if (result.kind === 'planned' && budgetPlan) return budgetPlanText(name, result.plan, result.nights);
  if (result.kind === 'planned') return renderPlan(name, result.plan);
  return renderPostReport(name, result.report, result.bankDocuments);
}

/** A post's report as text, and the line of the bank-side documents it created (a queued post's has none). */
export function renderPostReport(name: string, report: PostReport, bankDocuments?: BankDocumentsReport): string {
  return `${renderReport(name, report)}${bankDocuments === undefined ? '' : `${bankDocumentsLine(name, bankDocuments)}\n`}`;
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
      `skipped, nothing to post (every line rounds to 0.00 or nets to zero there, or a bank-side document settles it): ${plan.toSkip.length}`,
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
