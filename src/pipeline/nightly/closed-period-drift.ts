import type { AlertItem } from '../../alerts/alert.js';
import { SCHEDULED_RUN_COMMAND, type RunRecords } from '../runs/index.js';

/**
 * What the night found changed in a closed period: its hash chain (subject "ledger") or a destination's journals
 * no longer what the period's certificate holds, as an alert item whose message names the certificate, the entry or
 * journal and both figures.
 */
export type ClosedPeriodDrift = AlertItem;

/** The key of a night's run summary that keeps the drift it found (the messages), so the next night alerts only what is new. */
export const CLOSED_PERIOD_DRIFT_KEY = 'closedPeriodDrift';

/** How far back a night looks for the last night that checked the closed periods (runs of every command count). */
const RECENT_RUNS = 50;

/**
 * The drift found tonight that the last night which checked did not already find. A finding is known by its
 * message, which carries both figures: a journal edited to 1.50 is alerted once, and again only when it changes
 * (edited on to 1.75: a new message) or comes back after a night without it. Example: night 1 finds journal 5a…
 * edited (1.01 → 1.50): alerted; night 2 finds the same: not alerted; night 3 finds it at 1.75: alerted.
 */
export async function unalertedDrift(
  runs: Pick<RunRecords, 'recentRuns'>,
  runId: string,
  found: readonly ClosedPeriodDrift[],
): Promise<ClosedPeriodDrift[]> {
  if (found.length === 0) return [];
  const known = new Set((await lastClosedPeriodCheck(runs, runId))?.drift ?? []);
  return found.filter((drift) => !known.has(drift.message));
}

/** The last night (other than `runId`) that re-verified the closed periods: when it started and the drift it found (none: unchanged). */
export async function lastClosedPeriodCheck(
  runs: Pick<RunRecords, 'recentRuns'>,
  runId?: string,
): Promise<{ startedAt: string; runId: string; drift: readonly string[] } | undefined> {
  for (const run of await runs.recentRuns(RECENT_RUNS)) {
    const drift = run.command === SCHEDULED_RUN_COMMAND && run.id !== runId ? driftOf(run.summary) : undefined;
    if (drift !== undefined) return { startedAt: run.startedAt, runId: run.id, drift };
  }
  return undefined;
}

function driftOf(summary: unknown): readonly string[] | undefined {
  if (typeof summary !== 'object' || summary === null) return undefined;
  const kept = (summary as Record<string, unknown>)[CLOSED_PERIOD_DRIFT_KEY];
  return Array.isArray(kept) && kept.every((message) => typeof message === 'string') ? kept : undefined;
}
