import { failureItem, type DestinationNames } from '../../alerts/next-step.js';
import { EXIT, StopRequestedError, type ExitCode } from '../../errors.js';
import type { Logger } from '../../log/index.js';
import { withRecordedRun, type HeldRun, type RunLockChoice } from './recorded-run.js';
import type { RunRecords, RunOutcome } from './books/run-records.js';
import { alertRunEnd, type RunAlertItems, type RunAlerts } from './run-alerts.js';

export interface RecordedRunRequest {
  /** As `runs` and `status` show it: "sync", "backfill", "post" … */
  command: string;
  asOf?: string | undefined;
  /** A holder silent this long is presumed dead (default: as the scheduler's runs). */
  staleAfterMs?: number;
  /**
   * When alerts are configured: the run's failure and new action items are sent, and tokens about to lapse; a
   * failure naming one of the run's `destinations` (a post's) gets a destination's advice.
   */
  alerts?: { to: RunAlerts; label: string; destinations?: DestinationNames } | undefined;
  /** Default: the ledger's run lock. */
  lock?: RunLockChoice;
}

/** What a use case's run gives back: its exit code, what the run record keeps, and what to alert about. */
export interface RecordedResult {
  exitCode: ExitCode;
  summary?: unknown;
  /** Why the run stopped short; the run is then recorded as failed. */
  error?: string;
  /** Asked to stop (SIGTERM) before its work was done, nothing failing: recorded as interrupted. */
  interrupted?: boolean;
  /** What to alert about besides a thrown error (a failed source, a destination's refusals…). */
  alertItems?: RunAlertItems;
}

/** What the run is told by its caller: where it logs, its clock, and what it redacts from recorded errors. */
interface RunServices {
  logger: Logger;
  now: () => Date;
  redact: (text: string) => string;
}

/**
 * A writer's run as one mapping from its result to the exit code, the run record and the alert items
 * (withRecordedRun): holds the ledger's run lock, is recorded in `runs`, always releases the lock, and
 * then, when alerts are configured, alerts (never failing the run for an alert that cannot be sent).
 * A run refused or failed by a thrown error alerts that failure and throws it again, for the CLI to map.
 */
export async function withRecordedResult(
  runs: RunRecords,
  run: RecordedRunRequest,
  services: RunServices,
  work: (run: HeldRun) => Promise<RecordedResult>,
): Promise<ExitCode> {
  const { logger, now, redact } = services;
  const end = await withRecordedRun(
    runs,
    { ...run, asOf: run.asOf, logger: () => logger, now, redact },
    async (held) => {
      const result = await interruptedIfStopped(work, held);
      return {
        value: result,
        record: {
          outcome:
            result.error !== undefined
              ? 'failed'
              : result.interrupted === true
                ? 'interrupted'
                : outcomeOf(result.exitCode),
          summary: result.summary,
          error: result.error,
        },
      };
    },
  );
  const alert = async (items: RunAlertItems) => {
    if (run.alerts !== undefined)
      await alertRunEnd(run.alerts.to, logger, { label: run.alerts.label, runId: end.runId, asOf: run.asOf }, items);
  };
  if (end.kind !== 'finished') {
    await alert({ failures: [failureItem('ledger', end.error, run.alerts?.destinations ?? [])], actionItems: [] });
    throw end.error;
  }
  await alert(end.value.alertItems ?? { failures: [], actionItems: [] });
  return end.value.exitCode;
}

/**
 * The run's work, or, when a stop ended it while it waited before it had a result to give (StopRequestedError: a
 * post's first token request or its organisation's check), an interrupted run: nothing failed, so exit 0, no alert.
 */
async function interruptedIfStopped(
  work: (run: HeldRun) => Promise<RecordedResult>,
  held: HeldRun,
): Promise<RecordedResult> {
  try {
    return await work(held);
  } catch (error) {
    if (!(error instanceof StopRequestedError)) throw error;
    held.log.info(error.message);
    return { exitCode: error.exitCode, interrupted: true };
  }
}

function outcomeOf(exitCode: ExitCode): RunOutcome {
  if (exitCode === EXIT.ok) return 'ok';
  if (exitCode === EXIT.attention) return 'attention';
  return 'failed';
}
