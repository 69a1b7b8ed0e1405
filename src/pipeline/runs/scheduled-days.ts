import { z } from 'zod';
import { addDays } from '../../calendar/index.js';
import { CalendarDateSchema } from '../../calendar/index.js';
import type { RunRecords } from './books/run-records.js';

/** The `runs.command` of a scheduled run. */
export const SCHEDULED_RUN_COMMAND = 'schedule';

const POST_STEP_OUTCOMES = ['ok', 'attention', 'failed', 'skipped'] as const;
export type PostStepOutcome = (typeof POST_STEP_OUTCOMES)[number];

/**
 * The part of a scheduled run's `runs.summary` that later runs read back:
 * whether its sync booked anything, and what each post step did with which days.
 */
const ScheduledStepsSchema = z.object({
  synced: z.boolean(),
  posts: z.array(
    z.object({ destination: z.string(), days: z.array(CalendarDateSchema), outcome: z.enum(POST_STEP_OUTCOMES) }),
  ),
});
export type ScheduledSteps = z.infer<typeof ScheduledStepsSchema>;

export interface ScheduledRunRecord {
  asOf: string;
  steps: ScheduledSteps;
}

/**
 * A day the scheduler synced stays due for a destination until one of its
 * posts to that destination ends clean (a failed, refused or skipped post is
 * tried again by the next run); older than this, it is left to an explicit
 * `ledgerline post`, and the failure alerts of those nights have said so.
 */
const CARRY_OVER_DAYS = 31;

/**
 * The days a scheduled run posts to `destination`: the day it has just synced
 * (`asOf`, undefined when its sync booked nothing), plus the days earlier
 * scheduled runs synced and did not finish posting there. Never a day the
 * scheduler did not sync itself: backfills wait for an explicit `post`
 * (DESIGN §5). Example: 03-02 synced but its xero post failed, 03-03 synced
 * now → ["2026-03-02", "2026-03-03"].
 */
export function daysToPost(
  history: readonly ScheduledRunRecord[],
  destination: string,
  asOf: string | undefined,
): string[] {
  const synced = new Set(history.filter((run) => run.steps.synced).map((run) => run.asOf));
  const delivered = new Set(
    history.flatMap((run) =>
      run.steps.posts
        .filter((post) => post.destination === destination && post.outcome === 'ok')
        .flatMap((post) => post.days),
    ),
  );
  const due = [...synced].filter((day) => !delivered.has(day));
  if (asOf !== undefined) due.push(asOf);
  return [...new Set(due)].sort();
}

/**
 * Sorted days as inclusive windows of consecutive days, one post window each:
 * ["2026-03-01", "2026-03-02", "2026-03-05"] → 03-01…03-02 and 03-05…03-05.
 */
export function dayWindows(days: readonly string[]): { from: string; until: string }[] {
  const windows: { from: string; until: string }[] = [];
  for (const day of [...new Set(days)].sort()) {
    const last = windows.at(-1);
    if (last !== undefined && addDays(last.until, 1) === day) last.until = day;
    else windows.push({ from: day, until: day });
  }
  return windows;
}

/** Earlier scheduled runs within CARRY_OVER_DAYS of `asOf` whose summary says what their steps did. */
export async function scheduledRunHistory(runs: RunRecords, asOf: string): Promise<ScheduledRunRecord[]> {
  const rows = await runs.runSummariesSince(SCHEDULED_RUN_COMMAND, addDays(asOf, -CARRY_OVER_DAYS));
  return rows.flatMap((row) => {
    if (row.asOf === null) return [];
    const steps = ScheduledStepsSchema.safeParse(row.summary);
    return steps.success ? [{ asOf: row.asOf, steps: steps.data }] : [];
  });
}
