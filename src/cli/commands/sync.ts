import { loadMappings } from '../../config/index.js';
import { UsageError } from '../../errors.js';
import { createSystemClock } from '../../http/clock.js';
import { formatMicros } from '../../money/index.js';
import { dateFlag, yesterdayIn } from '../../pipeline/calendar.js';
import { runSync, syncExitCode, type SyncReport } from '../../pipeline/sync/run-sync.js';
import type { Granularity } from '../../rules/index.js';
import type { Command, CommandContext } from '../command.js';
import { loadConfigFor, withLedger, writeJson } from '../load.js';
import { progressBar } from '../progress-bar.js';
import { runRecorded } from '../run-recorded.js';

export const syncCommand: Command = {
  usage:
    'ledgerline sync [--source ID]... [--as-of DATE] [--from DATE --to DATE] [--orders-file F] [--granularity day|event] [--dry-run] [--json]',
  options: {
    source: { type: 'string', multiple: true },
    'as-of': { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    'orders-file': { type: 'string' },
    granularity: { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  async run(context) {
    const sourceIds = (context.values.source as string[] | undefined) ?? [];
    const granularity = readGranularity(context.values.granularity);
    const from = dateFlag('--from', context.values.from);
    const to = dateFlag('--to', context.values.to);
    if ((from === undefined) !== (to === undefined)) throw new UsageError('a backfill needs both --from DATE and --to DATE');
    if (from !== undefined && to !== undefined && from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
    if (from !== undefined && context.values['as-of'] !== undefined) throw new UsageError('--as-of and --from/--to do not go together: a backfill replays a window, a sync takes one close');
    const config = loadConfigFor(context, { sources: sourceIds.length > 0 ? sourceIds : 'all' });
    const mappings = loadMappings({ chartPath: config.mappings });
    const asOf = dateFlag('--as-of', context.values['as-of']) ?? yesterdayIn(config.timezone, context.now());
    const dryRun = context.values['dry-run'] === true;
    const ordersFile = typeof context.values['orders-file'] === 'string' ? context.values['orders-file'] : undefined;
    return withLedger(config, async (ledger) => {
      const sync = async (runId: string) => {
        const progress = progressBar(context.stderr, !context.json);
        const report = await runSync(
          {
            config,
            ledger,
            chart: mappings.chart.events,
            logger: context.logger,
            now: context.now,
            clock: createSystemClock(),
            redact: context.redact,
            runId,
            onProgress: (done, total, label) => progress.update(done, total, label),
          },
          {
            asOf,
            window: from !== undefined && to !== undefined ? { from, to } : undefined,
            sourceIds,
            ordersFile: ordersFile === undefined ? undefined : resolvePath(context, ordersFile),
            dryRun,
            granularity,
          },
        );
        progress.done();
        printReport(context, report);
        return { exitCode: syncExitCode(report), summary: summarize(report) };
      };
      if (dryRun) return (await sync(`dry-run:${context.now().toISOString()}`)).exitCode;
      return runRecorded(context, ledger, { command: from === undefined ? 'sync' : 'backfill', asOf: from === undefined ? asOf : `${from}..${to}` }, sync);
    });
  },
};

function resolvePath(context: CommandContext, path: string): string {
  return path.startsWith('/') ? path : `${context.cwd}/${path}`;
}

function readGranularity(value: unknown): Granularity | undefined {
  if (value === undefined) return undefined;
  if (value === 'day' || value === 'event') return value;
  throw new UsageError('--granularity must be day or event');
}

function summarize(report: SyncReport) {
  return {
    asOf: report.asOf,
    sources: report.sources.map((source) => ({
      sourceId: source.sourceId,
      outcome: source.outcome,
      events: source.events,
      entries: source.entries.map((entry) => entry.id),
      findings: source.findings.length,
      quarantined: source.quarantined,
      ...(source.polled === undefined ? {} : { polled: source.polled }),
      ...(source.error ? { error: source.error.message } : {}),
    })),
  };
}

function printReport(context: CommandContext, report: SyncReport): void {
  if (context.json) {
    writeJson(context, {
      ...summarize(report),
      dryRun: report.dryRun,
      findings: report.sources.flatMap((source) =>
        source.findings.map((found) => ({ ...found, amount: found.amountMicros === undefined ? undefined : formatMicros(found.amountMicros, 2), amountMicros: undefined })),
      ),
      ...(report.dryRun ? { plannedEntries: report.sources.flatMap((source) => source.entries) } : {}),
    });
    return;
  }
  const lines = [
    `${report.window ? `backfill ${report.window.from} to ${report.window.to}` : `sync as of ${report.asOf}`}${report.dryRun ? ' (dry run: nothing written)' : ''}`,
  ];
  for (const source of report.sources) {
    if (source.error) {
      lines.push(`  ${source.sourceId}: FAILED: ${source.error.message}`);
      continue;
    }
    lines.push(
      `  ${source.sourceId}: ${source.events} events, ${source.entries.length} journal entries${source.polled === undefined ? '' : `, ${source.polled} orders polled`}` +
        `${source.quarantined ? `, ${source.quarantined} quarantined` : ''}`,
    );
    for (const found of source.findings) lines.push(`    ! ${found.kind}: ${found.message}`);
    if (report.dryRun) {
      for (const entry of source.entries) {
        lines.push(`    would book ${entry.id} (${entry.date}): ${entry.description}`);
        for (const line of entry.lines) {
          lines.push(`      ${line.amountMicros > 0n ? 'Dr' : 'Cr'} ${line.account.padEnd(26)} ${formatMicros(line.amountMicros > 0n ? line.amountMicros : -line.amountMicros, 2).padStart(14)} ${line.currency}`);
        }
      }
    }
  }
  context.stdout.write(`${lines.join('\n')}\n`);
}
