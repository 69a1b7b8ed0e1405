import { RunInProgressError } from '../../src/errors.js';
import type { RecordedRunView, RunRecords } from '../../src/pipeline/runs/index.js';

/**
 * The RunRecords port in memory, for the unit tier (issue 53 item 5): a use case's logic over its run records
 * without a ledger file. It keeps what the store keeps (runs in order, one ledger lock taken over once its
 * heartbeat is older than `staleAfterMs`, refused with RunInProgressError while fresh); the protocol on the
 * engines themselves is pinned by test/pipeline/runs/recorded-run.test.ts.
 */
export function runRecordsInMemory(): RunRecords & { readonly runs: readonly RecordedRunView[] } {
  const runs: RecordedRunView[] = [];
  let lock: { runId: string; heartbeatAt: Date } | undefined;
  const newestFirst = () => [...runs].reverse();
  return {
    runs,
    recordStart: async (command, asOf, now) => {
      const id = `run:${runs.length + 1}`;
      runs.push({
        id,
        command,
        startedAt: now.toISOString(),
        finishedAt: null,
        outcome: null,
        asOf: asOf ?? null,
        error: null,
        summary: null,
      });
      return id;
    },
    recordEnd: async (runId, { outcome, summary, error, now }) => {
      const run = runs.find((candidate) => candidate.id === runId);
      if (run === undefined) throw new TypeError(`no run ${runId} was started`);
      Object.assign(run, { finishedAt: now.toISOString(), outcome, summary: summary ?? null, error: error ?? null });
    },
    takeRunLock: async ({ runId, now, staleAfterMs }) => {
      if (lock !== undefined && lock.runId !== runId && now.getTime() - lock.heartbeatAt.getTime() <= staleAfterMs)
        throw new RunInProgressError(
          `another ledgerline run (${lock.runId}) is using this ledger; try again when it finishes`,
        );
      const abandoned = lock !== undefined && lock.runId !== runId ? lock.runId : undefined;
      lock = { runId, heartbeatAt: now };
      if (abandoned === undefined) return undefined;
      const run = runs.find((candidate) => candidate.id === abandoned && candidate.finishedAt === null);
      if (run !== undefined) Object.assign(run, { finishedAt: now.toISOString(), outcome: 'interrupted' });
      return { runId: abandoned, pid: '0', host: 'memory', markedInterrupted: run !== undefined };
    },
    refreshRunLock: async (runId, now) => {
      if (lock?.runId === runId) lock = { runId, heartbeatAt: now };
    },
    freeRunLock: async (runId) => {
      if (lock?.runId === runId) lock = undefined;
    },
    latestRunOf: async (commands) => newestFirst().find((run) => commands.includes(run.command)),
    recentRuns: async (limit) => newestFirst().slice(0, limit),
    runSummariesSince: async (command, since) =>
      runs
        .filter((run) => run.command === command && run.startedAt >= since)
        .map(({ asOf, summary }) => ({ asOf, summary })),
    runMovements: async () => [],
  };
}
