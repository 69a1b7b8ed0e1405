import type { ExitCode } from '../errors.js';
import type { CommandContext } from './command.js';
import { withRecordedResult, type HeldRun, type LegacyStore, type RecordedResult, type RecordedRunRequest, type RunRecords } from '../pipeline/runs/index.js';

export type { RecordedResult, RecordedRunRequest as RecordedRun } from '../pipeline/runs/index.js';

/**
 * A writer command's run, recorded and mapped to its exit code by the pipeline (withRecordedResult): the
 * command's logger, clock and redaction are the run's. `given` is the books' run records (or, until the
 * commands not yet behind a port are reconnected, their store: transitional, issue 39).
 */
export function runRecorded(context: CommandContext, given: RunRecords | LegacyStore, run: RecordedRunRequest, work: (run: HeldRun) => Promise<RecordedResult>): Promise<ExitCode> {
  return withRecordedResult(given, run, { logger: context.logger, now: context.now, redact: context.redact }, work);
}
