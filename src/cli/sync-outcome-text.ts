import type { MappingGap } from '../config/index.js';
import { absMicros, formatCents, formatMicros } from '../money/index.js';
import { findingsOf, type SyncOutcome } from '../pipeline/runs/index.js';
import type { CommandProcess } from './command.js';
import { writeJson } from './load.js';
import { mappingGapLines } from './mapping-gap-lines.js';
import { sourceMoneyLines } from './source-money-text.js';

/** What a sync or backfill did, as text (each source's money, a dry run's entries) or JSON, with the unmapped accounts. */
export function printOutcome(
  context: CommandProcess,
  { report, summary, plannedCents }: SyncOutcome,
  exact: boolean,
  gaps: readonly MappingGap[],
): void {
  const planned = report.sources.flatMap((source) => source.entries);
  if (context.json) {
    writeJson(context, {
      ...summary,
      dryRun: report.dryRun,
      findings: findingsOf(report),
      ...(gaps.length > 0 ? { unmappedAccounts: gaps } : {}),
      ...(report.dryRun
        ? {
            plannedEntries: planned.map((entry, index) => ({
              ...entry,
              lines: entry.lines.map((line) => ({ ...line, amount: formatMicros(line.amountMicros, 2) })),
              cents: (plannedCents[index] ?? []).map((line) => ({
                account: line.account,
                currency: line.currency,
                amount: formatCents(line.cents),
              })),
            })),
          }
        : {}),
    });
    return;
  }
  const lines = [
    `${report.window ? `backfill ${report.window.from} to ${report.window.to}` : `sync as of ${report.asOf}`}${report.dryRun ? ' (dry run: nothing written)' : ''}`,
  ];
  let plannedIndex = 0;
  report.sources.forEach((source, index) => {
    const summed = summary.sources[index]!;
    lines.push(...sourceMoneyLines({ ...summed, entries: summed.entries.length }));
    if (!report.dryRun || source.error) return;
    for (const entry of source.entries) {
      lines.push(`    would book ${entry.id} (${entry.date}): ${entry.description}`);
      const shown = exact
        ? entry.lines.map((line) => ({
            account: line.account,
            currency: line.currency,
            amount: line.amountMicros,
            text: formatMicros(absMicros(line.amountMicros), 2),
          }))
        : (plannedCents[plannedIndex] ?? []).map((line) => ({
            account: line.account,
            currency: line.currency,
            amount: line.cents,
            text: formatCents(line.cents < 0n ? -line.cents : line.cents),
          }));
      plannedIndex += 1;
      for (const line of shown)
        lines.push(
          `      ${line.amount > 0n ? 'Dr' : 'Cr'} ${line.account.padEnd(26)} ${line.text.padStart(14)} ${line.currency}`,
        );
    }
  });
  for (const problem of report.ordersFileProblems) lines.push(`  ! orders file row skipped: ${problem}`);
  lines.push(...mappingGapLines(gaps));
  context.stdout.write(`${lines.join('\n')}\n`);
}
