import { EXIT, type ExitCode } from '../errors.js';
import type { LedgerStore } from '../ledger/index.js';
import type { RunOutcome } from '../store/index.js';
import type { CommandContext } from './command.js';
import { failureItem } from '../alerts/next-step.js';
import { alertRunEnd, type RunAlertItems, type RunAlerts, withRecordedRun, type HeldRun, type RunLockChoice } from '../pipeline/runs/index.js';

export interface RecordedRun {
  /** As `runs` and `status` show it: "sync", "backfill", "post" … */
  command: string;
  asOf?: string | undefined;
  /** A holder silent this long is presumed dead (default: as the scheduler's runs). */
  staleAfterMs?: number;
  /** When alerts are configured: the run's failure and new action items are sent, and tokens about to lapse. */
  alerts?: { to: RunAlerts; label: string } | undefined;
  /** Default: the ledger's run lock. */
  lock?: RunLockChoice;
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
 * A writer command's run (withRecordedRun): holds the ledger's run lock, is
 * recorded in `runs`, always releases the lock, and then, when alerts are
 * configured, alerts (never failing the run for an alert that cannot be sent).
 */
export async function runRecorded(context: CommandContext, store: LedgerStore, run: RecordedRun, work: (run: HeldRun) => Promise<RecordedResult>): Promise<ExitCode> {
  const end = await withRecordedRun(
    store,
    { command: run.command, asOf: run.asOf, logger: () => context.logger, now: context.now, redact: context.redact, staleAfterMs: run.staleAfterMs, lock: run.lock },
    async (held) => {
      const result = await work(held);
      return {
        value: result,
        record: { outcome: result.error === undefined ? outcomeOf(result.exitCode) : 'failed', summary: result.summary, error: result.error },
      };
    },
  );
  const alert = async (items: RunAlertItems) => {
    if (run.alerts !== undefined) await alertRunEnd(run.alerts.to, context.logger, { label: run.alerts.label, runId: end.runId, asOf: run.asOf }, items);
  };
  if (end.kind !== 'finished') {
    await alert({ failures: [failureItem('ledger', end.error)], actionItems: [] });
    throw end.error;
  }
  await alert(end.value.alertItems ?? { failures: [], actionItems: [] });
  return end.value.exitCode;
}

function outcomeOf(exitCode: ExitCode): RunOutcome {
  if (exitCode === EXIT.ok) return 'ok';
  if (exitCode === EXIT.attention) return 'attention';
  return 'failed';
}
