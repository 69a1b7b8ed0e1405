import { EXIT } from '../../errors.js';
import { dateFlag, dateIn, yesterdayIn } from '../../pipeline/calendar.js';
import { reconcileReport, type ReconcileReport } from '../../pipeline/reconcile-report.js';
import type { Command } from '../command.js';
import { loadConfigFor, withLedger, writeJson } from '../load.js';

export const reconcileCommand: Command = {
  usage: 'ledgerline reconcile [--as-of DATE] [--json]',
  options: { 'as-of': { type: 'string', value: 'DATE', description: 'judge open items as of DATE (default: today)' } },
  examples: ['ledgerline reconcile          # exit 1 when something needs a look', 'ledgerline reconcile --json   # every item, for a script'],
  async run(context) {
    const config = loadConfigFor(context);
    const today = dateIn(config.timezone, context.now());
    const asOf = dateFlag('--as-of', context.values['as-of'], yesterdayIn(config.timezone, context.now())) ?? today;
    const stuckAfterDays = new Map(config.sources.flatMap((source) => (source.kind === 'panel' ? [[source.id, source.stuckAfterDays] as const] : [])));
    const report = await withLedger(config, { forReading: true }, (ledger) => reconcileReport(ledger, asOf, today, stuckAfterDays));
    if (context.json) writeJson(context, report);
    else context.stdout.write(renderReport(report));
    return report.clean ? EXIT.ok : EXIT.attention;
  },
};

function renderReport(report: ReconcileReport): string {
  if (report.clean) return `reconcile as of ${report.asOf}: clean, nothing to look at\n`;
  const lines = [`reconcile as of ${report.asOf}: ${report.items.length} item(s) to look at`];
  const byKind = new Map<string, number>();
  for (const item of report.items) byKind.set(item.kind, (byKind.get(item.kind) ?? 0) + 1);
  lines.push(`  ${[...byKind].map(([kind, count]) => `${kind} ${count}`).join(', ')}`, '');
  for (const item of report.items) {
    lines.push(`${item.date}  ${item.source.padEnd(14)} ${item.kind.padEnd(24)} ${item.amount === null ? '' : `${item.amount} ${item.currency ?? ''}  `}${item.message}`);
  }
  return `${lines.join('\n')}\n`;
}
