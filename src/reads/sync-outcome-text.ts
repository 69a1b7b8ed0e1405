import type { MappingGap } from '../config/index.js';
import { absMicros, formatCents, formatMicros } from '../money/index.js';
import { findingsOf, RecordedSourceSchema, type SyncOutcome } from '../pipeline/runs/index.js';
import type { BookedTaxField } from '../rules/index.js';
import { journalLine, sourceMoneyLines } from './source-money-text.js';

/** What a sync or backfill did, as `--json` writes it: the summary, the findings, the unmapped accounts, a dry run's entries. */
export function syncOutcomeJson({ report, summary, plannedCents }: SyncOutcome, gaps: readonly MappingGap[]): unknown {
  const planned = report.sources.flatMap((source) => source.entries);
  return {
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
              ...(line.tax === undefined ? {} : { taxCode: line.tax?.code ?? null }),
            })),
          })),
        }
      : {}),
  };
}

/** What a sync or backfill did, as lines: each source's money, a dry run's entries (exact, or in cents), the orders file's skipped rows. */
export function syncOutcomeLines({ report, summary, plannedCents }: SyncOutcome, exact: boolean): string[] {
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
            tax: line.tax,
          }))
        : (plannedCents[plannedIndex] ?? []).map((line) => ({
            account: line.account,
            currency: line.currency,
            amount: line.cents,
            text: formatCents(line.cents < 0n ? -line.cents : line.cents),
            tax: line.tax,
          }));
      plannedIndex += 1;
      for (const line of shown)
        lines.push(
          `      ${journalLine(line.amount > 0n ? 'Dr' : 'Cr', line.account, line.text, line.currency)}${treatmentText(line.tax)}`,
        );
    }
  });
  for (const problem of report.ordersFileProblems) lines.push(`  ! orders file row skipped: ${problem}`);
  return lines;
}

/**
 * A planned line's tax treatment as the booking would record it: its code ("  REVERSECHARGES, reverse charge"),
 * "  no code" for a line the chart's tax codes none of, nothing for a line booked without the chart's tax.
 */
function treatmentText(tax: BookedTaxField | undefined): string {
  if (tax === undefined) return '';
  if (tax === null) return '  no code';
  return `  ${tax.code}${tax.reverseCharge ? ', reverse charge' : ''}`;
}

/**
 * A sync through the queue's closes as the workers recorded them (pipeline/sync's QueuedSyncOutcome, named here by
 * its shape: a read model imports no write use case).
 */
interface QueuedSyncOutcome {
  summary: { asOf: string; sources: readonly unknown[]; ordersFileProblems?: string[] | undefined };
  closes: readonly { findings: readonly unknown[] }[];
}

/** What `sync --queue` writes with --json: the summary and each close's findings, as a local sync writes them. */
export function queuedSyncJson({ summary, closes }: QueuedSyncOutcome): unknown {
  return { ...summary, dryRun: false, findings: closes.flatMap((close) => close.findings) };
}

/** What `sync --queue` prints for its closes, as a local sync prints the same closes (syncOutcomeLines). */
export function queuedSyncLines({ summary }: QueuedSyncOutcome): string[] {
  const lines = [`sync as of ${summary.asOf}`];
  for (const source of summary.sources) lines.push(...sourceMoneyLines(RecordedSourceSchema.parse(source)));
  for (const problem of summary.ordersFileProblems ?? []) lines.push(`  ! orders file row skipped: ${problem}`);
  return lines;
}
