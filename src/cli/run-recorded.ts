import { EXIT, type ExitCode } from '../errors.js';
import type { Ledger } from '../ledger/index.js';
import { RUN_LOCK_STALE_AFTER_MS, acquireRunLock, finishRun, releaseRunLock, startRun, takeoverWarning, type RunOutcome } from '../store/index.js';
import type { CommandContext } from './command.js';

export interface RecordedRun {
  /** As `runs` and `status` show it: "sync", "backfill", "post" … */
  command: string;
  asOf?: string | undefined;
  /** A holder silent this long is presumed dead (default: as the scheduler's runs). */
  staleAfterMs?: number;
}

export interface RecordedResult {
  exitCode: ExitCode;
  summary?: unknown;
  /** Why the run stopped short; the run is then recorded as failed. */
  error?: string;
}

/** A writer run: holds the ledger's run lock, is recorded in `runs`, and always releases the lock. */
export async function runRecorded(context: CommandContext, ledger: Ledger, run: RecordedRun, work: (runId: string) => Promise<RecordedResult>): Promise<ExitCode> {
  const runId = startRun(ledger.store, run.command, run.asOf, context.now());
  try {
    const abandoned = acquireRunLock(ledger.store, { runId, now: context.now(), staleAfterMs: run.staleAfterMs ?? RUN_LOCK_STALE_AFTER_MS });
    if (abandoned !== undefined) context.logger.warn(takeoverWarning(abandoned));
  } catch (error) {
    finishRun(ledger.store, runId, { outcome: 'failed', error: context.redact(error instanceof Error ? error.message : String(error)), now: context.now() });
    throw error;
  }
  try {
    const result = await work(runId);
    finishRun(ledger.store, runId, {
      outcome: result.error === undefined ? outcomeOf(result.exitCode) : 'failed',
      summary: result.summary,
      ...(result.error === undefined ? {} : { error: context.redact(result.error) }),
      now: context.now(),
    });
    return result.exitCode;
  } catch (error) {
    const message = context.redact(error instanceof Error ? error.message : String(error));
    finishRun(ledger.store, runId, { outcome: 'failed', error: `${error instanceof Error ? error.name : 'Error'}: ${message}`, now: context.now() });
    throw error;
  } finally {
    releaseRunLock(ledger.store, runId);
  }
}

function outcomeOf(exitCode: ExitCode): RunOutcome {
  if (exitCode === EXIT.ok) return 'ok';
  if (exitCode === EXIT.attention) return 'attention';
  return 'failed';
}
