import type { AlertItem } from '../../alerts/alert.js';
import { failureItem, nextStepFor, type DestinationNames } from '../../alerts/next-step.js';
import { EXIT, LedgerlineError, StopRequestedError, type ExitCode, messageOf } from '../../errors.js';
import type { SealHead } from '../../ledger/index.js';
import type { Logger } from '../../log/index.js';
import {
  daysToPost,
  refusedItem,
  scheduledRunHistory,
  type HeldRun,
  type PostStepOutcome,
  type RunOutcome,
  type RunRecords,
  type ScheduledSteps,
} from '../runs/index.js';
import { chainHeadWitness, type ChainHead, type ChainHeadReads } from '../witness/index.js';
import { unalertedDrift, type ClosedPeriodDrift } from './closed-period-drift.js';
import { moneyInTransitItem, type LateMoney } from './late-money-item.js';
import type { NightlyRunDependencies, NightSync } from './nightly-run.js';

/** What the night's steps did: the run's exit code, its steps for the record, and what to alert. */
export interface StepsResult {
  exitCode: ExitCode;
  steps: ScheduledSteps;
  sync: NightSync | undefined;
  interrupted: boolean;
  failures: AlertItem[];
  discrepancies: AlertItem[];
  postSummaries: { destination: string; summary?: unknown }[];
  /** The messages of the closed-period drift found tonight, kept in the summary for the next night; undefined when not checked. */
  closedPeriodDrift?: string[];
  /** The chain head after the night's steps, and the messages of the earlier nights' heads found missing. */
  chainHead?: ChainHead | undefined;
  chainHeadsLost?: string[];
  /** The seals' head after the night's steps: the witness of the rows sealed since the last close. */
  rowSealsHead?: SealHead;
}

/** The night's steps in order (sync, each destination's post, the checks after them), each failure caught and kept in the result. */
export async function runSteps(
  deps: NightlyRunDependencies,
  { runId, log, beat }: HeldRun,
  asOf: string,
): Promise<StepsResult> {
  const result = emptyResult(EXIT.ok, []);
  if (deps.stopSignal.aborted) {
    result.interrupted = true;
    return result;
  }
  try {
    const synced = await deps.sync({ asOf, runId, logger: log });
    result.sync = synced;
    result.exitCode = synced.exitCode;
    result.failures.push(...synced.alertItems.failures);
    result.discrepancies.push(...synced.alertItems.actionItems);
    result.steps.synced = synced.booked;
  } catch (error) {
    stepFailed(result, { log, destinations: deps.schedule.post }, 'sync failed', error);
  }

  const history = await scheduledRunHistory(deps.runs, asOf);
  for (const destination of deps.schedule.post) {
    const days = daysToPost(history, destination, result.steps.synced ? asOf : undefined);
    if (days.length === 0) continue;
    if (deps.stopSignal.aborted) {
      result.interrupted = true;
      result.steps.posts.push({ destination, days, outcome: 'skipped' });
      log.info(`stop requested: posting ${days.join(', ')} to ${destination} is left for the next run`, {
        destination,
      });
      continue;
    }
    result.steps.posts.push({
      destination,
      days,
      outcome: await postStep(deps, { destination, days, runId, log, beat }, result),
    });
  }
  // The checks after the posts may ask the destinations: a failure naming one gets a destination's advice.
  const checks = { log, destinations: deps.schedule.post };
  if (deps.lateMoneyInTransit !== undefined) await alertLateMoney(deps.lateMoneyInTransit, asOf, result, checks);
  if (deps.closedPeriodDrift !== undefined)
    await alertClosedPeriodDrift(deps.closedPeriodDrift, { runs: deps.runs, runId, asOf }, result, checks);
  if (deps.chainHead !== undefined) await witnessChainHead(deps.chainHead, { runs: deps.runs, runId }, result, checks);
  return result;
}

/**
 * The chain head after the night's steps, for its record and alerts; each head an earlier night kept and the
 * ledger lost makes the night's exit 1, alerted once.
 */
async function witnessChainHead(
  reads: ChainHeadReads,
  night: { runs: RunRecords; runId: string },
  result: StepsResult,
  checks: NightCheck,
): Promise<void> {
  try {
    const { head, sealHead, lost, alerted } = await chainHeadWitness(reads, night.runs, night.runId);
    result.chainHead = head;
    result.rowSealsHead = sealHead;
    result.chainHeadsLost = lost.map((item) => item.message);
    result.discrepancies.push(...lost.filter((item) => !alerted.includes(item.message)));
    if (lost.length > 0) result.exitCode = worse(result.exitCode, EXIT.attention);
  } catch (error) {
    stepFailed(result, checks, 'chain head not read', error);
  }
}

/** Each closed period re-verified: its drift makes the night's exit 1, and what the last night did not find is alerted. */
async function alertClosedPeriodDrift(
  closedPeriodDrift: (asOf: string) => Promise<readonly ClosedPeriodDrift[]>,
  night: { runs: RunRecords; runId: string; asOf: string },
  result: StepsResult,
  checks: NightCheck,
): Promise<void> {
  try {
    const found = await closedPeriodDrift(night.asOf);
    result.closedPeriodDrift = found.map((drift) => drift.message);
    result.discrepancies.push(...(await unalertedDrift(night.runs, night.runId, found)));
    if (found.length > 0) result.exitCode = worse(result.exitCode, EXIT.attention);
  } catch (error) {
    stepFailed(result, checks, 'closed periods not re-verified', error);
  }
}

/** Where a check after the posts logs, and the destinations the night posts to, whose failures get their advice. */
interface NightCheck {
  log: Logger;
  destinations: DestinationNames;
}

function stepFailed(result: StepsResult, { log, destinations }: NightCheck, what: string, error: unknown): void {
  log.error(`${what}: ${messageOf(error)}`);
  result.failures.push(failureItem('ledger', error, destinations));
  result.exitCode = worse(result.exitCode, error instanceof LedgerlineError ? error.exitCode : EXIT.internal);
}

/** After the posts (a bank-side document posted tonight counts): each late or differing payout and top-up is a discrepancy of the night. */
async function alertLateMoney(
  lateMoneyInTransit: (asOf: string) => Promise<readonly LateMoney[]>,
  asOf: string,
  result: StepsResult,
  checks: NightCheck,
): Promise<void> {
  try {
    const late = await lateMoneyInTransit(asOf);
    result.discrepancies.push(...late.map(moneyInTransitItem));
    if (late.length > 0) result.exitCode = worse(result.exitCode, EXIT.attention);
  } catch (error) {
    stepFailed(result, checks, 'money in transit not read', error);
  }
}

export function emptyResult(exitCode: ExitCode, failures: AlertItem[]): StepsResult {
  return {
    exitCode,
    steps: { synced: false, posts: [] },
    sync: undefined,
    interrupted: false,
    failures,
    discrepancies: [],
    postSummaries: [],
  };
}

export function outcomeOf(result: StepsResult): RunOutcome {
  if (result.failures.length > 0 || (result.exitCode !== EXIT.ok && result.exitCode !== EXIT.attention))
    return 'failed';
  if (result.interrupted) return 'interrupted';
  return result.exitCode === EXIT.ok ? 'ok' : 'attention';
}

/** Exit codes by how much they ask of the reader: 0, 1, 3, 2, 70. */
const SEVERITY: readonly ExitCode[] = [EXIT.ok, EXIT.attention, EXIT.external, EXIT.busy, EXIT.usage, EXIT.internal];

function worse(a: ExitCode, b: ExitCode): ExitCode {
  return SEVERITY.indexOf(a) >= SEVERITY.indexOf(b) ? a : b;
}

/** One destination's post of the days due to it: its outcome, its failures and refusals added to the night's. */
async function postStep(
  deps: NightlyRunDependencies,
  step: { destination: string; days: string[]; runId: string; log: Logger; beat: HeldRun['beat'] },
  result: StepsResult,
): Promise<PostStepOutcome> {
  const { destination, days, runId, log, beat } = step;
  const postLog = log.child({ destination });
  postLog.info(`posting the entries of ${days.join(', ')} to ${destination}`);
  let outcome: PostStepOutcome;
  try {
    const posted = await deps.postDays({
      destination,
      days,
      runId,
      logger: postLog,
      stopSignal: deps.stopSignal,
      onProgress: beat,
    });
    result.exitCode = worse(result.exitCode, posted.exitCode);
    outcome = posted.exitCode === EXIT.ok ? 'ok' : posted.exitCode === EXIT.attention ? 'attention' : 'failed';
    // A worker told to stop mid-wait left entries behind: no failure, and not 'ok', so the next night posts the days.
    if (posted.failure?.errorClass === StopRequestedError.name) {
      postLog.info(posted.failure.message);
      result.interrupted = true;
      outcome = 'skipped';
    } else if (posted.failure !== undefined) {
      result.failures.push({
        subject: destination,
        kind: posted.failure.errorClass,
        message: posted.failure.message,
        nextStep: nextStepFor(posted.failure.errorClass, destination, deps.schedule.post),
      });
    } else if (outcome === 'failed') {
      result.failures.push({
        subject: destination,
        kind: 'PostFailed',
        message: `posting to ${destination} ended with exit ${posted.exitCode}`,
        nextStep: `run \`ledgerline post ${destination} --dry-run\` to see what is waiting and why`,
      });
    }
    result.discrepancies.push(...posted.refused.map((refused) => refusedItem(destination, refused)));
    result.postSummaries.push({ destination, summary: posted.summary });
  } catch (error) {
    // A stop thrown before the delivery began (its token request or the organisation's check waiting): as above.
    if (error instanceof StopRequestedError) {
      postLog.info(error.message);
      result.interrupted = true;
      return 'skipped';
    }
    postLog.error(`posting to ${destination} failed: ${messageOf(error)}`);
    result.failures.push(failureItem(destination, error, deps.schedule.post));
    result.exitCode = worse(result.exitCode, error instanceof LedgerlineError ? error.exitCode : EXIT.internal);
    outcome = 'failed';
  }
  return outcome;
}
