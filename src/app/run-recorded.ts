import type { Config } from '../config/index.js';
import type { ExitCode } from '../errors.js';
import type { AppProcess } from './app-process.js';
import {
  withRecordedResult,
  type HeldRun,
  type RecordedResult,
  type RecordedRunRequest,
  type RunRecords,
} from '../pipeline/runs/index.js';
import { withRunPings } from './pinged-runs.js';

export type { RecordedResult, RecordedRunRequest as RecordedRun } from '../pipeline/runs/index.js';

/**
 * A writer command's run, recorded and mapped to its exit code by the pipeline (withRecordedResult): the
 * command's logger, clock and redaction are the run's. With the configuration given (not for a dry run), the
 * run is pinged to `monitor.ping` as it starts and ends (withRunPings).
 */
export function runRecorded(
  context: AppProcess,
  runs: RunRecords,
  run: RecordedRunRequest & { config?: Config },
  work: (run: HeldRun) => Promise<RecordedResult>,
): Promise<ExitCode> {
  const { config, ...request } = run;
  const recorded = () =>
    withRecordedResult(runs, request, { logger: context.logger, now: context.now, redact: context.redact }, work);
  if (config === undefined) return recorded();
  return withRunPings(
    context,
    config,
    `${request.command}${request.asOf === undefined ? '' : ` as of ${request.asOf}`}`,
    recorded,
    (exitCode) => exitCode,
  );
}
