import { z } from 'zod';
import { addDays } from '../../calendar/index.js';
import type { RunRecords } from './books/run-records.js';
import { SCHEDULED_RUN_COMMAND } from './scheduled-days.js';

/** How far back the runs are read for the start of a failing streak: a longer one is dated from the window's first run. */
const FAILING_WINDOW_DAYS = 60;
/** A source's part of a sync that booked nothing it should have, as the fleet view counts it failing. */
const FAILED = new Set(['failed', 'refused']);

const RunSourcesSchema = z.object({
  sources: z.array(z.object({ sourceId: z.string(), outcome: z.string(), error: z.string().optional() }).loose()),
});

/**
 * What the recent syncs and scheduled nights say of each source, read once: `failingSince`, each source failing in
 * its latest part with the as-of day of the first run of its current failing streak (a source that never closed is
 * dated from its own first failed night, not the latest one); `latestParts`, each source's part of the latest sync
 * or night that took it (the fleet's "last result"), so a run of some sources (`sync --source panel-01`) leaves the
 * others' parts as their own latest run gave them.
 * Example: panel-03 answering 502 on the nights of 03-02 to 03-06, then `sync --source panel-01` of 03-07 →
 * failingSince [{ sourceId: 'panel-03', since: '2026-03-02' }]; latestParts panel-01 booked (03-07), panel-03 failed.
 */
export async function syncStandings(
  runs: Pick<RunRecords, 'runSummariesSince'>,
  today: string,
): Promise<{ failingSince: { sourceId: string; since: string }[]; latestParts: SourcePart[] }> {
  const streaks = new Map<string, string>();
  const latest = new Map<string, SourcePart>();
  for (const run of await syncedRuns(runs, today))
    for (const source of run.sources) {
      latest.set(source.sourceId, source);
      if (source.error === undefined && !FAILED.has(source.outcome)) streaks.delete(source.sourceId);
      else if (!streaks.has(source.sourceId)) streaks.set(source.sourceId, run.asOf);
    }
  return {
    failingSince: [...streaks].map(([sourceId, since]) => ({ sourceId, since })),
    latestParts: [...latest.values()],
  };
}

/** A source's part of a sync or scheduled night: booked, nothing new, failed (with why). */
type SourcePart = z.infer<typeof RunSourcesSchema>['sources'][number];

/** The syncs and scheduled nights of the window before `today`, by their day, then in the order they started. */
async function syncedRuns(runs: Pick<RunRecords, 'runSummariesSince'>, today: string) {
  const from = addDays(today, -FAILING_WINDOW_DAYS);
  const recorded = [
    ...(await runs.runSummariesSince('sync', from)),
    ...(await runs.runSummariesSince(SCHEDULED_RUN_COMMAND, from)),
  ].flatMap((run) => {
    const parsed = RunSourcesSchema.safeParse(run.summary);
    return run.asOf === null || !parsed.success ? [] : [{ asOf: run.asOf, sources: parsed.data.sources }];
  });
  return recorded.sort((a, b) => a.asOf.localeCompare(b.asOf));
}
