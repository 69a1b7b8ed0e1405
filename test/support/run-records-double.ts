import { RunInProgressError } from '../../src/errors.js';
import type { RecordedRunView, RunRecords, RunRecordsTx } from '../../src/pipeline/runs/run-records.js';

interface HeldLock {
  runId: string;
  heartbeatAt: Date;
}

/**
 * The RunRecords port in memory, for the unit tier (issue 53 item 5): a use case's logic over its run records
 * without a ledger file. It keeps what the store keeps (runs in order, one ledger lock taken over once its
 * heartbeat is older than `staleAfterMs`, refused with RunInProgressError while fresh; units one at a time, a unit
 * that throws leaving nothing); test/store/run-records-contract.test.ts holds it to the engines' adapter.
 */
export function runRecordsInMemory(): RunRecords & { readonly runs: readonly RecordedRunView[] } {
  const runs: RecordedRunView[] = [];
  const state: { lock: HeldLock | undefined; count: number } = { lock: undefined, count: 0 };
  let queue: Promise<unknown> = Promise.resolve();
  // As the store orders them: by start, newest first; runs started at the same instant, the later recorded first.
  const newestFirst = () => [...runs].reverse().sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  const unit = <T>(work: (tx: RunRecordsTx) => Promise<T>): Promise<T> => {
    const turn = queue.then(async () => {
      const before = { runs: runs.map((run) => ({ ...run })), lock: state.lock };
      try {
        return await work(writesOver(runs, state));
      } catch (error) {
        runs.splice(0, runs.length, ...before.runs);
        state.lock = before.lock;
        throw error;
      }
    });
    queue = turn.catch(() => undefined);
    return turn;
  };
  return {
    runs,
    unit,
    latestRunOf: async (commands) => newestFirst().find((run) => commands.includes(run.command)),
    recentRuns: async (limit) => newestFirst().slice(0, limit),
    runSummariesSince: async (command, since) =>
      runs
        .filter((run) => run.command === command && run.asOf !== null && run.asOf >= since && run.summary !== undefined)
        .map(({ asOf, summary }) => ({ asOf, summary })),
    runMovements: async () => [],
  };
}

function writesOver(runs: RecordedRunView[], state: { lock: HeldLock | undefined; count: number }): RunRecordsTx {
  return {
    recordStart: async (command, asOf, now) => {
      state.count += 1;
      const id = `run:${now.toISOString()}:${state.count}`;
      runs.push({
        id,
        command,
        startedAt: now.toISOString(),
        finishedAt: null,
        outcome: null,
        asOf: asOf ?? null,
        error: null,
        summary: undefined,
      });
      return id;
    },
    recordEnd: async (runId, { outcome, summary, error, now }) => {
      const run = runs.find((candidate) => candidate.id === runId);
      if (run !== undefined)
        Object.assign(run, { finishedAt: now.toISOString(), outcome, summary: rekept(summary), error: error ?? null });
    },
    takeRunLock: async ({ runId, now, staleAfterMs }) => {
      const { lock } = state;
      if (lock !== undefined && lock.runId !== runId && now.getTime() - lock.heartbeatAt.getTime() <= staleAfterMs) {
        const running = runs.find((run) => run.id === lock.runId);
        throw new RunInProgressError(
          `another ledgerline run (${lock.runId}${running ? `, running "ledgerline ${running.command}"` : ''}) ` +
            `is using this ledger; try again when it finishes`,
        );
      }
      const abandoned = lock !== undefined && lock.runId !== runId ? lock.runId : undefined;
      state.lock = { runId, heartbeatAt: now };
      if (abandoned === undefined) return undefined;
      const run = runs.find((candidate) => candidate.id === abandoned && candidate.finishedAt === null);
      if (run !== undefined) Object.assign(run, { finishedAt: now.toISOString(), outcome: 'interrupted' });
      return { runId: abandoned, pid: '0', host: 'memory', markedInterrupted: run !== undefined };
    },
    refreshRunLock: async (runId, now) => {
      if (state.lock?.runId === runId) state.lock = { runId, heartbeatAt: now };
    },
    freeRunLock: async (runId) => {
      if (state.lock?.runId === runId) state.lock = undefined;
    },
  };
}

/** A summary as the store keeps it: JSON text, bigints as decimal text; undefined when none. */
function rekept(summary: unknown): unknown {
  if (summary === undefined) return undefined;
  return JSON.parse(
    JSON.stringify(summary, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)),
  ) as unknown;
}
