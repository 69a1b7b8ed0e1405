import { z } from 'zod';
import { addDays } from '../../calendar/index.js';
import type { RunRecords } from './run-records.js';
import { SCHEDULED_RUN_COMMAND } from './scheduled-days.js';

/** How far back the runs are read for the start of a failing streak: a longer one is dated from the window's first run. */
const FAILING_WINDOW_DAYS = 60;
/** A source's part of a sync that booked nothing it should have, as the fleet view counts it failing. */
const FAILED = new Set(['failed', 'refused']);

const RunSourcesSchema = z.object({
  sources: z.array(z.object({ sourceId: z.string(), outcome: z.string(), error: z.string().optional() }).loose()),
});

/**
 * Each source failing in the latest sync or scheduled night, with the as-of day of the first run of its current
 * failing streak: a source that never closed is dated from its own first failed night, not the latest one.
 * Example: panel-03 answering 502 on the nights of 03-02 to 03-06 → { sourceId: 'panel-03', since: '2026-03-02' }.
 */
export async function failingSince(
  runs: Pick<RunRecords, 'runSummariesSince'>,
  today: string,
): Promise<{ sourceId: string; since: string }[]> {
  const from = addDays(today, -FAILING_WINDOW_DAYS);
  const recorded = [
    ...(await runs.runSummariesSince('sync', from)),
    ...(await runs.runSummariesSince(SCHEDULED_RUN_COMMAND, from)),
  ].flatMap((run) => {
    const parsed = RunSourcesSchema.safeParse(run.summary);
    return run.asOf === null || !parsed.success ? [] : [{ asOf: run.asOf, sources: parsed.data.sources }];
  });
  const streaks = new Map<string, string>();
  for (const run of recorded.sort((a, b) => a.asOf.localeCompare(b.asOf)))
    for (const source of run.sources) {
      if (source.error === undefined && !FAILED.has(source.outcome)) streaks.delete(source.sourceId);
      else if (!streaks.has(source.sourceId)) streaks.set(source.sourceId, run.asOf);
    }
  return [...streaks].map(([sourceId, since]) => ({ sourceId, since }));
}
