import { EXIT, LedgerlineError, type ExitCode } from '../errors.js';
import type { Ledger } from '../ledger/index.js';
import { acquireRunLock, finishRun, releaseRunLock, startRun, type RunOutcome } from '../pipeline/run-log.js';
import type { CommandContext } from './command.js';

/** A writer run: holds the ledger's run lock, is recorded in `runs`, and always releases the lock. */
export async function runRecorded(
  context: CommandContext,
  ledger: Ledger,
  command: string,
  asOf: string | undefined,
  work: (runId: string) => Promise<{ exitCode: ExitCode; summary?: unknown }>,
): Promise<ExitCode> {
  const runId = startRun(ledger.store, command, asOf, context.now());
  try {
    acquireRunLock(ledger.store, { runId, now: context.now(), staleAfterMs: 6 * 60 * 60 * 1000 });
  } catch (error) {
    finishRun(ledger.store, runId, { outcome: 'failed', error: error instanceof Error ? error.message : String(error), now: context.now() });
    throw error;
  }
  try {
    const result = await work(runId);
    finishRun(ledger.store, runId, { outcome: outcomeOf(result.exitCode), summary: result.summary, now: context.now() });
    return result.exitCode;
  } catch (error) {
    const message = context.redact(error instanceof Error ? error.message : String(error));
    finishRun(ledger.store, runId, { outcome: error instanceof LedgerlineError ? 'failed' : 'failed', error: `${error instanceof Error ? error.name : 'Error'}: ${message}`, now: context.now() });
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
