import { hostname } from 'node:os';
import { RunInProgressError } from '../../src/errors.js';
import { processIsAlive } from '../../src/runtime/process-liveness.js';
import type {
  AbandonedRun,
  RecordedRunView,
  RunLockRequest,
  RunRecords,
  RunRecordsTx,
} from '../../src/pipeline/runs/books/run-records.js';

/** The ledger's run lock as the double holds it (the store's `run_lock` row). */
export interface LockHolder {
  runId: string;
  pid: number;
  host: string;
  acquiredAt: string;
  heartbeatAt: string;
}

interface Held {
  runs: RecordedRunView[];
  lock: LockHolder | undefined;
  count: number;
}

/** The double's own seams, for what a test plants or looks at beneath the port (as ledger-tables.ts does on books). */
export interface RunRecordsDouble extends RunRecords {
  /** The runs as recorded, in the order they started. */
  readonly runs: readonly RecordedRunView[];
  /** The holder of the run lock, undefined while free. */
  readonly lock: LockHolder | undefined;
  /** Plants a run recorded by another process (a hand backfill, a killed run). */
  plantRun(run: Partial<RecordedRunView> & Pick<RecordedRunView, 'id' | 'command' | 'startedAt'>): void;
  /** Plants the lock as another process holds it. */
  plantLock(holder: LockHolder): void;
}

/**
 * The RunRecords port in memory, for the unit tier (issue 53 item 5): a use case's logic over its run records
 * without a ledger file. It keeps what the store keeps: runs newest first by start, summaries as JSON keeps them
 * (bigints as decimal text), the one ledger lock refused while its holder lives (RunInProgressError, the store's
 * words), taken over from a holder that is gone (its process dead on this host, or its heartbeat older than
 * `staleAfterMs`), its run closed as interrupted; units one at a time, a unit that throws leaving nothing.
 * It books no journal, so `runMovements` is always empty. test/pipeline/runs/books/run-records-contract.test.ts runs
 * one spec over it and both engines' adapter, so it cannot drift.
 */
export function runRecordsInMemory(): RunRecordsDouble {
  const held: Held = { runs: [], lock: undefined, count: 0 };
  let queue: Promise<unknown> = Promise.resolve();
  // As the store orders them: by start, newest first; runs started at the same instant, the later recorded first.
  const newestFirst = () => [...held.runs].reverse().sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  const unit = <T>(work: (tx: RunRecordsTx) => Promise<T>): Promise<T> => {
    const turn = queue.then(async () => {
      const before = { runs: held.runs.map((run) => ({ ...run })), lock: held.lock };
      try {
        return await work(writesOver(held));
      } catch (error) {
        held.runs.splice(0, held.runs.length, ...before.runs);
        held.lock = before.lock;
        throw error;
      }
    });
    queue = turn.catch(() => undefined);
    return turn;
  };
  return {
    runs: held.runs,
    get lock() {
      return held.lock;
    },
    plantRun: (run) => void held.runs.push({ ...blankRun(run.command, run.startedAt), ...run }),
    plantLock: (holder) => void (held.lock = holder),
    unit,
    latestRunOf: async (commands) => newestFirst().find((run) => commands.includes(run.command)),
    recentRuns: async (limit) => newestFirst().slice(0, limit),
    runSummariesSince: async (command, since) =>
      held.runs
        .filter((run) => run.command === command && run.asOf !== null && run.asOf >= since && run.summary !== undefined)
        .map(({ asOf, summary }) => ({ asOf, summary })),
    runMovements: async () => [],
  };
}

function blankRun(command: string, startedAt: string): RecordedRunView {
  return { id: '', command, startedAt, finishedAt: null, outcome: null, asOf: null, error: null, summary: undefined };
}

function writesOver(held: Held): RunRecordsTx {
  return {
    recordStart: async (command, asOf, now) => {
      held.count += 1;
      const id = `run:${now.toISOString()}:${String(held.count).padStart(8, '0')}`;
      held.runs.push({ ...blankRun(command, now.toISOString()), id, asOf: asOf ?? null });
      return id;
    },
    recordEnd: async (runId, { outcome, summary, error, now }) => {
      const run = held.runs.find((candidate) => candidate.id === runId);
      if (run !== undefined)
        Object.assign(run, { finishedAt: now.toISOString(), outcome, summary: rekept(summary), error: error ?? null });
    },
    takeRunLock: async (request) => {
      const holder = held.lock;
      const abandoned =
        holder !== undefined && holder.runId !== request.runId ? takeOverFrom(held, holder, request) : undefined;
      const now = request.now.toISOString();
      held.lock = { runId: request.runId, pid: process.pid, host: hostname(), acquiredAt: now, heartbeatAt: now };
      return abandoned;
    },
    refreshRunLock: async (runId, now) => {
      if (held.lock?.runId === runId) held.lock = { ...held.lock, heartbeatAt: now.toISOString() };
    },
    freeRunLock: async (runId) => {
      if (held.lock?.runId === runId) held.lock = undefined;
    },
  };
}

/** The store's take-over (store/runs.ts): refused while the holder lives, else its run closed as interrupted. */
function takeOverFrom(held: Held, holder: LockHolder, request: RunLockRequest): AbandonedRun {
  const isAlive = request.isAlive ?? processIsAlive;
  const sameHost = holder.host === hostname();
  const stale = request.now.getTime() - Date.parse(holder.heartbeatAt) > request.staleAfterMs;
  if (!(sameHost && !isAlive(holder.pid)) && !stale) {
    const running = held.runs.find((run) => run.id === holder.runId);
    throw new RunInProgressError(
      `another ledgerline run (${holder.runId}, pid ${holder.pid} on ${holder.host}, since ` +
        `${holder.acquiredAt}${running ? `, running "ledgerline ${running.command}"` : ''}) is using ` +
        `this ledger; try again when it finishes`,
    );
  }
  const run = held.runs.find((candidate) => candidate.id === holder.runId && candidate.finishedAt === null);
  if (run !== undefined)
    Object.assign(run, {
      finishedAt: request.now.toISOString(),
      outcome: 'interrupted',
      error: `ended without releasing the ledger (pid ${holder.pid} on ${holder.host}); taken over by ${request.runId}`,
    });
  return { runId: holder.runId, pid: String(holder.pid), host: holder.host, markedInterrupted: run !== undefined };
}

/** A summary as the store keeps it: JSON text, bigints as decimal text; undefined when none. */
function rekept(summary: unknown): unknown {
  if (summary === undefined) return undefined;
  return JSON.parse(
    JSON.stringify(summary, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)),
  ) as unknown;
}
