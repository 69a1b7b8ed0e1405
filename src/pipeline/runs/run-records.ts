import type { AbandonedRun, RecordedRun, RunOutcome } from '../../ledger/index.js';
import type { AccountMovementRow } from '../../rules/index.js';

export type { AbandonedRun, RunOutcome };

/** How a finished run is recorded; the summary is kept as the run's record (bigints as decimal text). */
interface RunEnding {
  outcome: RunOutcome;
  summary?: unknown;
  error?: string;
  now: Date;
}

export interface RunLockRequest {
  runId: string;
  now: Date;
  /** A holder whose heartbeat is older than this is presumed dead (a crashed or killed run). */
  staleAfterMs: number;
  /** Whether a process id is alive on this host and started when the holder recorded (injected for tests). */
  isAlive?: (pid: number, startTicks?: string | null) => boolean;
}

/** A recorded run as `status` and the console show it; `summary` is what the run kept, undefined when none or unreadable. */
export interface RecordedRunView extends RecordedRun {
  summary: unknown;
}

/** The runs as the ledger records them: `status`'s last sync, the scheduler's history and a sync's summary read them. */
export interface RunRecordsReads {
  /** The latest run of any of `commands`, running or finished. */
  latestRunOf(commands: readonly string[]): Promise<RecordedRunView | undefined>;
  /** The latest `limit` runs of any command, newest first. */
  recentRuns(limit: number): Promise<RecordedRunView[]>;
  /** The as-of day and summary of each run of `command` as of `since` or later that kept a summary, in the order they started. */
  runSummariesSince(command: string, since: string): Promise<{ asOf: string | null; summary: unknown }[]>;
  /** Net movement per source, account and currency of the entries the run appended. */
  runMovements(runId: string): Promise<AccountMovementRow[]>;
}

/** The run-lock protocol's writes (recorded-run.ts), only in a unit of work (`RunRecords.unit` hands them). */
export interface RunRecordsTx {
  /** Records a run as started; returns its id. */
  recordStart(command: string, asOf: string | undefined, now: Date): Promise<string>;
  recordEnd(runId: string, ending: RunEnding): Promise<void>;
  /** Takes the ledger's run lock, taking it over from a holder that is gone (returned); throws RunInProgressError while a live run holds it. */
  takeRunLock(request: RunLockRequest): Promise<AbandonedRun | undefined>;
  refreshRunLock(runId: string, now: Date): Promise<void>;
  freeRunLock(runId: string): Promise<void>;
}

/**
 * The runs as the ledger records them, and its one run lock: the reads on the port, the writes only on the `tx` its
 * unit hands (issue 53 item 4). Each write of the protocol is a unit of its own, committed before the run goes on:
 * another process must see the run started and the lock taken, refreshed or freed while this run's work is still
 * going on (the heartbeat is written from a timer while a long unit of the work runs elsewhere).
 */
export interface RunRecords extends RunRecordsReads {
  unit<T>(work: (tx: RunRecordsTx) => Promise<T>): Promise<T>;
}
