import type { AbandonedRun, RecordedRun, RunOutcome } from '../../../ledger/index.js';
import type { AccountMovementRow } from '../../../rules/index.js';
import { queryBuilder, type StoreHandle, type StoreTx } from '../../../store/index.js';
import { recentRuns } from './run-history.js';
import { runMovements } from './run-movements.js';
import { acquireRunLock, finishRun, heartbeatRunLock, releaseRunLock, startRun } from './run-rows.js';

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

/** The runs as the reads see them, over the store itself or a unit's `tx`. */
const runReads = (store: StoreHandle): RunRecordsReads => ({
  latestRunOf: async (commands) => {
    const [row] = await recentRuns(store, 1, commands);
    return row === undefined ? undefined : runView(row);
  },
  recentRuns: async (limit) => (await recentRuns(store, limit)).map(runView),
  runSummariesSince: async (command, since) =>
    (
      await store.all(
        queryBuilder(store)
          .selectFrom('runs')
          .select(['as_of', 'summary'])
          .where('command', '=', command)
          .where('as_of', '>=', since)
          .where('summary', 'is not', null)
          .orderBy('started_at')
          .orderBy('id'),
      )
    ).map((row) => ({ asOf: row.as_of, summary: parsedSummary(row.summary) })),
  runMovements: (runId) => runMovements(store, runId),
});

/** A unit's writes, each bound to its `tx`; the lock's take reads the holder and writes in that same unit. */
const runWrites = (tx: StoreTx): RunRecordsTx => ({
  recordStart: (command, asOf, now) => startRun(tx, command, asOf, now),
  recordEnd: (runId, ending) => finishRun(tx, runId, ending),
  takeRunLock: (request) => acquireRunLock(tx, request),
  refreshRunLock: (runId, now) => heartbeatRunLock(tx, runId, now),
  freeRunLock: (runId) => releaseRunLock(tx, runId),
});

/** The run records and the run lock over the store's handle (`books.of(runRecords)`): reads, and the writes in a unit. */
export const runRecords = (store: StoreHandle): RunRecords => ({
  ...runReads(store),
  unit: (work) => store.unitOfWork((tx) => work(runWrites(tx))),
});

function runView(row: RecordedRun & { summary: string | null }): RecordedRunView {
  return { ...row, summary: parsedSummary(row.summary) };
}

/** A run's summary as it kept it; undefined when it kept none or the text does not read as JSON. */
function parsedSummary(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
