import type { AlertItem } from '../alerts/alert.js';
import type { Config } from '../config/index.js';
import type { RunAlertItems, SyncOutcome } from '../pipeline/runs/index.js';
import { sourcesQuiet, type LedgerReads } from '../reads/index.js';
import { watchedSources } from './status-facts.js';

/**
 * A night's alert items with the silent sources it closed added as action items, in a finance person's words:
 * "Panel panel-02 has sent no new orders or balance moves for 4 days (since 2026-03-03)". Only for a sync's
 * close (not a backfill or dry run), and only for the sources it closed: a failing source is reported as failing.
 */
export async function withSilence(
  { ledgerReads }: { ledgerReads: Pick<LedgerReads, 'closeActivity'> },
  config: Config,
  { report, alertItems }: Pick<SyncOutcome, 'report' | 'alertItems'>,
): Promise<RunAlertItems> {
  if (report.dryRun || report.window !== undefined) return alertItems;
  const closed = new Set(report.sources.filter((source) => !source.error).map((source) => source.sourceId));
  const quiet = await sourcesQuiet(ledgerReads, watchedSources(config, report.asOf));
  const silent = quiet.flatMap((row): AlertItem[] =>
    row.silent && closed.has(row.source)
      ? [{ subject: row.source, kind: 'silent_source', message: row.message!, nextStep: row.nextStep! }]
      : [],
  );
  return { ...alertItems, actionItems: [...alertItems.actionItems, ...silent] };
}
