import type { ExitCode } from '../errors.js';
import type { CommandProcess } from './command.js';
import { withRecordedResult, type HeldRun, type RecordedResult, type RecordedRunRequest, type RunRecords } from '../pipeline/runs/index.js';

export type { RecordedResult, RecordedRunRequest as RecordedRun } from '../pipeline/runs/index.js';

/**
 * A writer command's run, recorded and mapped to its exit code by the pipeline (withRecordedResult): the
 * command's logger, clock and redaction are the run's.
 */
export function runRecorded(context: CommandProcess, runs: RunRecords, run: RecordedRunRequest, work: (run: HeldRun) => Promise<RecordedResult>): Promise<ExitCode> {
  return withRecordedResult(runs, run, { logger: context.logger, now: context.now, redact: context.redact }, work);
}
