import { EXIT, type ExitCode } from '../errors.js';
import type { Ledger } from '../ledger/index.js';
import { RUN_LOCK_STALE_AFTER_MS, acquireRunLock, finishRun, releaseRunLock, startRun, takeoverWarning, type RunOutcome } from '../store/index.js';
import type { CommandContext } from './command.js';
import { failureItem } from '../alerts/next-step.js';
import { alertRunEnd, type RunAlertItems, type RunAlerts } from '../pipeline/run-alerts.js';

export interface RecordedRun {
  /** As `runs` and `status` show it: "sync", "backfill", "post" … */
  command: string;
  asOf?: string | undefined;
  /** A holder silent this long is presumed dead (default: as the scheduler's runs). */
  staleAfterMs?: number;
  /** When alerts are configured: the run's failure and new action items are sent, and tokens about to lapse. */
  alerts?: { to: RunAlerts; label: string } | undefined;
}

export interface RecordedResult {
  exitCode: ExitCode;
  summary?: unknown;
  /** Why the run stopped short; the run is then recorded as failed. */
  error?: string;
  /** What to alert about besides a thrown error (a failed source, a destination's refusals…). */
  alertItems?: RunAlertItems;
}

/**
 * A writer run: holds the ledger's run lock, is recorded in `runs`, always
 * releases the lock, and then, when alerts are configured, alerts (never
 * failing the run for an alert that cannot be sent).
 */
export async function runRecorded(context: CommandContext, ledger: Ledger, run: RecordedRun, work: (runId: string) => Promise<RecordedResult>): Promise<ExitCode> {
  const runId = await startRun(ledger.store, run.command, run.asOf, context.now());
  const alert = async (items: RunAlertItems) => {
    if (run.alerts !== undefined) await alertRunEnd(run.alerts.to, context.logger, { label: run.alerts.label, runId, asOf: run.asOf }, items);
  };
  try {
    const abandoned = await acquireRunLock(ledger.store, { runId, now: context.now(), staleAfterMs: run.staleAfterMs ?? RUN_LOCK_STALE_AFTER_MS });
    if (abandoned !== undefined) context.logger.warn(takeoverWarning(abandoned));
  } catch (error) {
    await finishRun(ledger.store, runId, { outcome: 'failed', error: context.redact(error instanceof Error ? error.message : String(error)), now: context.now() });
    await alert({ failures: [failureItem('ledger', error)], actionItems: [] });
    throw error;
  }
  let result: RecordedResult | undefined;
  let failure: unknown;
  try {
    result = await work(runId);
    await finishRun(ledger.store, runId, {
      outcome: result.error === undefined ? outcomeOf(result.exitCode) : 'failed',
      summary: result.summary,
      ...(result.error === undefined ? {} : { error: context.redact(result.error) }),
      now: context.now(),
    });
  } catch (error) {
    result = undefined;
    failure = error;
    const message = context.redact(error instanceof Error ? error.message : String(error));
    await finishRun(ledger.store, runId, { outcome: 'failed', error: `${error instanceof Error ? error.name : 'Error'}: ${message}`, now: context.now() });
  } finally {
    await releaseRunLock(ledger.store, runId);
  }
  // After the lock is released: an alert may retry for up to a minute, and no other run should wait on it.
  if (result === undefined) {
    await alert({ failures: [failureItem('ledger', failure)], actionItems: [] });
    throw failure;
  }
  await alert(result.alertItems ?? { failures: [], actionItems: [] });
  return result.exitCode;
}

function outcomeOf(exitCode: ExitCode): RunOutcome {
  if (exitCode === EXIT.ok) return 'ok';
  if (exitCode === EXIT.attention) return 'attention';
  return 'failed';
}
