import type { AlertSender } from '../../alerts/alert-sender.js';
import { failureItem } from '../../alerts/next-step.js';
import type { ScheduleConfig } from '../../config/index.js';
import { EXIT, LedgerlineError, RunInProgressError, type ExitCode, messageOf } from '../../errors.js';
import {
  findingCount,
  withRecordedRun,
  type RunLockChoice,
  alertRunEnd,
  failedAlert,
  sendAlert,
  syncAlertItems,
  type AlertedRun,
  type RunAlertItems,
  sourceMoney,
  SCHEDULED_RUN_COMMAND,
  type RunRecords,
  syncExitCode,
  type SyncReport,
  type SyncDependencies,
} from '../runs/index.js';
import type { Logger } from '../../log/index.js';
import { addDays, dateInTimeZone } from '../../calendar/index.js';
import { readSandboxDay } from '../../sources/index.js';
import { toStoredJson } from '../../rules/index.js';
import type { RunOutcome } from '../runs/index.js';
import type { LateMoney } from './late-money-item.js';
import { CLOSED_PERIOD_DRIFT_KEY, type ClosedPeriodDrift } from './closed-period-drift.js';
import { CHAIN_HEAD_KEY, CHAIN_HEADS_LOST_KEY, ROW_SEALS_HEAD_KEY, type ChainHeadReads } from '../witness/index.js';
import { emptyResult, outcomeOf, runSteps, type StepsResult } from './night-steps.js';

/**
 * What the night's sync step tells the run: its exit code, whether any source booked (the day is then
 * due to be posted), what to alert, and each source's counts and money as `status` shows them.
 */
export interface NightSync {
  exitCode: ExitCode;
  booked: boolean;
  alertItems: RunAlertItems;
  sources: readonly unknown[];
}

/**
 * The sync step: takes the close of `asOf` for every source and books it, in this process
 * (runSync, read with nightSyncOf) or through the job queue's workers (queued-night.ts).
 */
export type SyncStep = (request: { asOf: string; runId: string; logger: Logger }) => Promise<NightSync>;

/** A sync this process ran under the night's run, as the night records and alerts it. */
export async function nightSyncOf(
  books: Pick<RunRecords, 'runMovements'>,
  runId: string,
  report: SyncReport,
  findingWords: SyncDependencies['findingWords'],
): Promise<NightSync> {
  const movements = await books.runMovements(runId);
  return {
    exitCode: syncExitCode(report, findingWords),
    booked: report.sources.some((source) => source.outcome === 'booked'),
    alertItems: syncAlertItems(report, findingWords),
    sources: report.sources.map((source) => ({
      ...sourceSummary(source),
      ...sourceMoney(source, movements, findingWords),
    })),
  };
}

export interface PostDaysRequest {
  /** A destination kind's name, from schedule.post. */
  destination: string;
  /** Entry dates to deliver, sorted; not always contiguous (a day carried over from an earlier night). */
  days: readonly string[];
  runId: string;
  logger: Logger;
  stopSignal: AbortSignal;
  /** Call after each recorded delivery: it keeps the run lock's heartbeat fresh. */
  onProgress: () => Promise<void>;
}

export interface PostDaysResult {
  exitCode: ExitCode;
  /** What stopped the post early (the next run retries): the error class and its message. */
  failure?: { errorClass: string; message: string } | undefined;
  /** Entries the destination refused (a closed period, an entry it cannot take): they stay unposted. */
  refused: readonly { entryId: string; date: string; reason: string }[];
  summary?: unknown;
}

/** The post step: delivers the unposted entries dated on `days` to one destination. */
export type PostDays = (request: PostDaysRequest) => Promise<PostDaysResult>;

const RUN_LOCK_HEARTBEAT_MS = 60_000;

export interface NightlyRunDependencies {
  /** The night's run record and the scheduled days' history. */
  runs: RunRecords;
  schedule: ScheduleConfig;
  /** On a sandbox trial, the sandbox's clock: the day to close is the sandbox's day, not yesterday in the schedule's timezone. */
  sandboxClock?: string | undefined;
  sync: SyncStep;
  postDays: PostDays;
  alerts: AlertSender;
  /** Where the destinations' refresh tokens are stored, and how early to warn before they expire. */
  tokenExpiry: { tokenStorePath: string; withinDays: number };
  logger: Logger;
  now: () => Date;
  /** Asks the run to finish the step it is in and skip the rest. */
  stopSignal: AbortSignal;
  redact: (text: string) => string;
  /** `choice`: default the ledger's run lock; on PostgreSQL the sources' locks too (localRunLock). */
  lock?: { staleAfterMs?: number; heartbeatMs?: number; isAlive?: (pid: number) => boolean; choice?: RunLockChoice };
  /**
   * The payouts and top-ups late as of the night's day that no night alerted yet, each state change recorded on
   * the way; absent when nothing follows them to the bank (followsMoneyInTransit).
   */
  lateMoneyInTransit?: (asOf: string) => Promise<readonly LateMoney[]>;
  /** What changed in the closed periods (the chain, the destinations' journals) against their certificates; absent when nothing is closed. */
  closedPeriodDrift?: (asOf: string) => Promise<readonly ClosedPeriodDrift[]>;
  /** The ledger's chain head, kept in the run record and alerts, and the heads earlier nights kept, checked against the ledger. */
  chainHead?: ChainHeadReads;
}

export interface NightlyRunResult {
  runId: string;
  asOf: string;
  outcome: RunOutcome;
  exitCode: ExitCode;
  /** Another run held the ledger: nothing was done. */
  refused: boolean;
}

/**
 * One scheduled run (DESIGN §5, §6): take the ledger's run lock, sync as of
 * yesterday in the schedule's timezone, then post to each destination of
 * `schedule.post` the days this scheduler synced itself, record the run,
 * release the lock, and alert. A stop request lets the current step finish
 * and skips the rest. Never throws for a failed step: the run is recorded
 * as failed and the failure alerted.
 */
export async function runNightly(deps: NightlyRunDependencies): Promise<NightlyRunResult> {
  const { runs, now } = deps;
  const { asOf, dayUnknown } = await nightDay(deps);
  // Run-wide lines name no source; the key is there all the same, so every line of a run can be filtered alike.
  const runLog = (runId: string) => deps.logger.child({ runId, sourceId: null });
  const end = await withRecordedRun(
    runs,
    {
      command: SCHEDULED_RUN_COMMAND,
      asOf,
      logger: runLog,
      now,
      redact: deps.redact,
      staleAfterMs: deps.lock?.staleAfterMs,
      isAlive: deps.lock?.isAlive,
      lock: deps.lock?.choice,
      heartbeatMs: deps.lock?.heartbeatMs ?? RUN_LOCK_HEARTBEAT_MS,
      refusedBy: dayUnknown,
    },
    async (run) => {
      run.log.info(
        `scheduled run started: sync as of ${asOf}${deps.schedule.post.length > 0 ? `, then post to ${deps.schedule.post.join(', ')}` : ''}`,
      );
      const result = await runSteps(deps, run, asOf);
      return {
        value: result,
        record: {
          outcome: outcomeOf(result),
          summary: redactedJson(deps.redact, nightSummary(asOf, result)),
          error:
            result.failures[0] === undefined ? undefined : `${result.failures[0].kind}: ${result.failures[0].message}`,
        },
      };
    },
  );
  const { runId } = end;
  const log = runLog(runId);
  if (end.kind === 'refused') {
    const message = deps.redact(messageOf(end.error));
    log.warn(`scheduled run refused: ${message}`);
    await sendAlert(
      deps.alerts,
      log,
      failedAlert(scheduledRun(runId, asOf), [failureItem('ledger', end.error, deps.schedule.post)]),
    );
    return {
      runId,
      asOf,
      outcome: end.error instanceof RunInProgressError ? 'refused' : 'failed',
      exitCode: end.error instanceof LedgerlineError ? end.error.exitCode : EXIT.internal,
      refused: true,
    };
  }
  const result = end.kind === 'finished' ? loggedEnd(log, end.value) : failedEnd(log, deps, end.error);
  await alertRunEnd(
    { sender: deps.alerts, tokenExpiry: deps.tokenExpiry, now },
    log,
    { ...scheduledRun(runId, asOf), chainHead: result.chainHead },
    {
      failures: result.failures,
      actionItems: result.discrepancies,
    },
  );
  return { runId, asOf, outcome: outcomeOf(result), exitCode: result.exitCode, refused: false };
}

/** The night's day: yesterday in the schedule's time zone, or the sandbox's day (an error reading it refuses the run). */
async function nightDay(deps: NightlyRunDependencies): Promise<{ asOf: string; dayUnknown: unknown }> {
  const yesterday = addDays(dateInTimeZone(deps.schedule.timezone)(deps.now()), -1);
  try {
    return {
      asOf: deps.sandboxClock === undefined ? yesterday : await readSandboxDay(deps.sandboxClock),
      dayUnknown: undefined,
    };
  } catch (error) {
    return { asOf: yesterday, dayUnknown: error };
  }
}

/** A night whose steps ran, logged with its outcome and chain head. */
function loggedEnd(log: Logger, result: StepsResult): StepsResult {
  const outcome = outcomeOf(result);
  // The chain head goes to the log too (a file or journald, outside the ledger): shortened in the line, in full in its fields.
  const head =
    result.chainHead === undefined
      ? ''
      : `, chain head ${result.chainHead.entryId} sha256:${result.chainHead.hash.slice(0, 12)}…`;
  log.info(`scheduled run finished: ${outcome} (exit ${result.exitCode})${head}`, {
    outcome,
    exitCode: result.exitCode,
    ...(result.chainHead === undefined
      ? {}
      : { chainHeadEntryId: result.chainHead.entryId, chainHeadHash: result.chainHead.hash }),
  });
  return result;
}

/** Only the run's own bookkeeping can fail the run itself (the steps catch their failures): it is recorded; say so. */
function failedEnd(
  log: Logger,
  deps: Pick<NightlyRunDependencies, 'redact' | 'schedule'>,
  error: unknown,
): StepsResult {
  log.error(`scheduled run failed: ${deps.redact(messageOf(error))}`);
  return emptyResult(EXIT.internal, [failureItem('ledger', error, deps.schedule.post)]);
}

/** What the night's run record keeps: its steps, each source's counts and money, the posts, and what the next nights compare with. */
function nightSummary(asOf: string, result: StepsResult): unknown {
  return {
    asOf,
    ...result.steps,
    interrupted: result.interrupted,
    sources: result.sync?.sources ?? [],
    postReports: result.postSummaries,
    ...(result.closedPeriodDrift === undefined ? {} : { [CLOSED_PERIOD_DRIFT_KEY]: result.closedPeriodDrift }),
    ...(result.chainHead === undefined ? {} : { [CHAIN_HEAD_KEY]: result.chainHead }),
    ...(result.chainHeadsLost === undefined ? {} : { [CHAIN_HEADS_LOST_KEY]: result.chainHeadsLost }),
    ...(result.rowSealsHead === undefined ? {} : { [ROW_SEALS_HEAD_KEY]: result.rowSealsHead }),
  };
}

/** The summary as stored, with every secret the error messages in it might carry replaced ("[redacted]" keeps the JSON valid). */
function redactedJson(redact: (text: string) => string, value: unknown): unknown {
  return JSON.parse(redact(toStoredJson(value)));
}

function sourceSummary(source: SyncReport['sources'][number]) {
  return {
    sourceId: source.sourceId,
    outcome: source.outcome,
    events: source.events,
    entries: source.entries.length,
    findings: findingCount(source.findings),
    quarantined: source.quarantined,
    ...(source.error ? { error: `${source.error.name}: ${source.error.message}` } : {}),
  };
}

function scheduledRun(runId: string, asOf: string): AlertedRun {
  return { label: `the scheduled run of ${asOf}`, runId, asOf };
}
