import { RunInProgressError, messageOf } from '../../errors.js';
import type { Logger } from '../../log/index.js';
import type { locks } from '../../store/index.js';
import type { AbandonedRun, RunOutcome, RunRecords } from './books/run-records.js';

/**
 * Which lock a run holds while it works: the ledger's run lock (every local run; on PostgreSQL a local
 * sync also holds, through `sources`, the locks of the sources it closes, which workers take too), or one
 * source's lock (`hold` takes it: a worker's close on PostgreSQL, so workers close different sources at
 * once), or none for a run that only records what others did (a queued sync, whose workers write under
 * their own locks).
 */
export type RunLockChoice =
  | { kind: 'ledger'; sources?: (() => Promise<locks.HeldSourceLock>) | undefined }
  | { kind: 'source'; hold: () => Promise<locks.HeldSourceLock> }
  | { kind: 'none' };

export interface RecordedRunOptions {
  /** As `runs` and `status` show it: "sync", "backfill", "post", "schedule" … */
  command: string;
  asOf: string | undefined;
  /** The run's logger, given its id: the takeover warning and a failed heartbeat are logged there. */
  logger: (runId: string) => Logger;
  now: () => Date;
  /** Applied to every error text the run record keeps. */
  redact: (text: string) => string;
  /** A holder silent this long is presumed dead (default: RUN_LOCK_STALE_AFTER_MS). */
  staleAfterMs?: number | undefined;
  /** Whether a process id is alive on this host (injected for tests). */
  isAlive?: ((pid: number) => boolean) | undefined;
  /**
   * Refresh the lock's heartbeat this often while the work runs, besides each `beat()`: a scheduled run
   * may sit in one long step (a source's close, a rate-limited post) without a progress point.
   */
  heartbeatMs?: number | undefined;
  /** A failure known before the lock is asked for (the day to close could not be read): the run is refused with it. */
  refusedBy?: unknown;
  /** Default: the ledger's run lock. */
  lock?: RunLockChoice | undefined;
}

export interface HeldRun {
  runId: string;
  log: Logger;
  /** Call at each progress point of a long step: it keeps the lock's heartbeat fresh. Never throws. */
  beat: () => Promise<void>;
}

/** How the work wants its run recorded; `error` is redacted before it is stored. */
interface RunRecord {
  outcome: RunOutcome;
  summary?: unknown;
  error?: string | undefined;
}

type RecordedRunEnd<T> =
  /** The lock was not taken (another run holds it) or the run could not start: nothing was done. */
  | { kind: 'refused'; runId: string; error: unknown }
  /** The work, or recording its outcome, threw; the run is recorded as failed with the error's class and message. */
  | { kind: 'failed'; runId: string; error: unknown }
  | { kind: 'finished'; runId: string; value: T };

/** A holder silent this long is presumed dead even on another host: a nightly sync and post fit well inside it. */
const RUN_LOCK_STALE_AFTER_MS = 6 * 60 * 60 * 1000;

/** The warning a run logs when it took the lock over from one that never released it. */
function takeoverWarning(abandoned: AbandonedRun): string {
  return (
    `took over the ledger from run ${abandoned.runId} (pid ${abandoned.pid} on ${abandoned.host}), ` +
    `which ended without releasing it${abandoned.markedInterrupted ? '; it is recorded as interrupted' : ''}`
  );
}

/**
 * The one run-lock protocol of every writer run (the CLI's recorded commands
 * and the scheduler's run): record the run in `runs`, take the ledger's run
 * lock (taking over, with a warning, from a run that died holding it), keep
 * its heartbeat fresh, record the outcome or the error, and release the lock
 * whatever happens. Alerts are the caller's, after this returns: an alert may
 * retry for up to a minute, and no other run should wait on it.
 */
export async function withRecordedRun<T>(
  runs: RunRecords,
  options: RecordedRunOptions,
  work: (run: HeldRun) => Promise<{ value: T; record: RunRecord }>,
): Promise<RecordedRunEnd<T>> {
  const { now, redact } = options;
  const runId = await runs.unit((tx) => tx.recordStart(options.command, options.asOf, now()));
  const log = options.logger(runId);
  const failedRecord = (error: unknown) => ({
    outcome: 'failed' as const,
    error: `${errorClassOf(error)}: ${redact(messageOf(error))}`,
    now: now(),
  });
  // Another run held the ledger (or the source): this run did nothing and nothing is wrong, so it is not a failure.
  const refusedRecord = (error: RunInProgressError) => ({
    outcome: 'refused' as const,
    error: redact(error.message),
    now: now(),
  });
  const lock = options.lock ?? { kind: 'ledger' };
  let sourceLock: locks.HeldSourceLock | undefined;
  try {
    if (options.refusedBy !== undefined) throw options.refusedBy;
    sourceLock = await takeLocks(runs, runId, options, log);
  } catch (error) {
    const ending = error instanceof RunInProgressError ? refusedRecord(error) : failedRecord(error);
    await runs.unit((tx) => tx.recordEnd(runId, ending));
    return { kind: 'refused', runId, error };
  }

  // Its own unit, from a timer too: on SQLite it waits for a unit of the work that is open, then commits at once.
  const beat = async () => {
    try {
      await runs.unit((tx) => tx.refreshRunLock(runId, now()));
    } catch (error) {
      log.warn(`could not refresh the run lock: ${messageOf(error)}`);
    }
  };
  const heartbeat =
    options.heartbeatMs === undefined || lock.kind !== 'ledger'
      ? undefined
      : setInterval(() => void beat(), options.heartbeatMs);
  heartbeat?.unref();
  try {
    const { value, record } = await work({ runId, log, beat });
    const ending = {
      outcome: record.outcome,
      summary: record.summary,
      ...(record.error === undefined ? {} : { error: redact(record.error) }),
      now: now(),
    };
    await runs.unit((tx) => tx.recordEnd(runId, ending));
    return { kind: 'finished', runId, value };
  } catch (error) {
    const ending = failedRecord(error);
    await runs.unit((tx) => tx.recordEnd(runId, ending));
    return { kind: 'failed', runId, error };
  } finally {
    clearInterval(heartbeat);
    if (lock.kind === 'ledger') await runs.unit((tx) => tx.freeRunLock(runId));
    await sourceLock?.release();
  }
}

/** Takes the run's locks (RecordedRunOptions.lock), each write a unit of its own, committed before the work starts. */
async function takeLocks(
  runs: RunRecords,
  runId: string,
  options: RecordedRunOptions,
  log: Logger,
): Promise<locks.HeldSourceLock | undefined> {
  const lock = options.lock ?? { kind: 'ledger' };
  if (lock.kind === 'source') return await lock.hold();
  if (lock.kind === 'none') return undefined;
  const request = {
    runId,
    now: options.now(),
    staleAfterMs: options.staleAfterMs ?? RUN_LOCK_STALE_AFTER_MS,
    ...(options.isAlive === undefined ? {} : { isAlive: options.isAlive }),
  };
  const abandoned = await runs.unit((tx) => tx.takeRunLock(request));
  if (abandoned !== undefined) log.warn(takeoverWarning(abandoned));
  try {
    return await lock.sources?.();
  } catch (error) {
    await runs.unit((tx) => tx.freeRunLock(runId));
    throw error;
  }
}

function errorClassOf(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

/**
 * Holds the ledger's run lock for one short write that is not a run of its own (the console's
 * acknowledgement): taken, `work` done, released, with nothing recorded in `runs`. A run holding the lock
 * makes it throw RunInProgressError, naming that run; a holder that died is taken over as by any run.
 */
export async function withRunLockMoment<T>(
  runs: RunRecords,
  holder: string,
  now: () => Date,
  work: () => Promise<T>,
): Promise<T> {
  const request = { runId: holder, now: now(), staleAfterMs: RUN_LOCK_STALE_AFTER_MS };
  await runs.unit((tx) => tx.takeRunLock(request));
  try {
    return await work();
  } finally {
    await runs.unit((tx) => tx.freeRunLock(holder));
  }
}
