import { z } from 'zod';
import type { AlertItem } from '../../alerts/alert.js';
import type { Config } from '../../config/index.js';
import type { localNightSteps } from '../nightly/index.js';
import type { RunAlertItems, SyncOutcome } from '../runs/index.js';
import { ledgerReads, sourcesQuiet } from '../../reads/index.js';
import type { BooksOf } from '../../store/index.js';
import { watchedSources } from './status-facts.js';

/** The night's sync step (nightly-run.ts), as localNightSteps gives it. */
type SyncStep = ReturnType<typeof localNightSteps>['sync'];

/**
 * A night's alert items with the silent sources it closed added as action items, in a finance person's words:
 * "Panel panel-02 has sent no new orders or balance moves for 4 days (since 2026-03-03)". Only for a sync's
 * close (not a backfill or dry run), and only for the sources it closed: a failing source is reported as failing.
 */
export async function withSilence(
  books: BooksOf,
  config: Config,
  { report, alertItems }: Pick<SyncOutcome, 'report' | 'alertItems'>,
): Promise<RunAlertItems> {
  if (report.dryRun || report.window !== undefined) return alertItems;
  const closed = new Set(report.sources.filter((source) => !source.error).map((source) => source.sourceId));
  return {
    ...alertItems,
    actionItems: [...alertItems.actionItems, ...(await silentItems(books, config, report.asOf, closed))],
  };
}

/** The night's recorded sources: its id, and the error when its close failed. */
const NightSourcesSchema = z.array(z.object({ sourceId: z.string(), error: z.string().optional() }).loose());

/**
 * The scheduled local night's sync step, its alert carrying the silent sources it closed as `sync`'s does: the
 * finding is read after the step, from the closes it just logged.
 */
export function syncStepWithSilence(books: BooksOf, config: Config, step: SyncStep): SyncStep {
  return async (request) => {
    const night = await step(request);
    const closed = new Set(
      NightSourcesSchema.parse(night.sources)
        .filter((source) => source.error === undefined)
        .map((source) => source.sourceId),
    );
    const silent = await silentItems(books, config, request.asOf, closed);
    return { ...night, alertItems: { ...night.alertItems, actionItems: [...night.alertItems.actionItems, ...silent] } };
  };
}

async function silentItems(
  books: BooksOf,
  config: Config,
  asOf: string,
  closed: ReadonlySet<string>,
): Promise<AlertItem[]> {
  const quiet = await sourcesQuiet(books.of(ledgerReads), watchedSources(config, asOf));
  return quiet.flatMap((row): AlertItem[] =>
    row.silent && closed.has(row.source)
      ? [{ subject: row.source, kind: 'silent_source', message: row.message!, nextStep: row.nextStep! }]
      : [],
  );
}
