import type { RunRecords, RunRecordsReads, RunRecordsTx } from '../pipeline/runs/run-records.js';
import type { RunOutcome } from '../ledger/index.js';
import type { LedgerStore, LedgerTx } from './ledger-store.js';
import { latestRunOf, recentRuns, runSummariesSince, type RecordedRunRow } from './run-history.js';
import { runMovements } from './run-movements.js';
import { acquireRunLock, finishRun, heartbeatRunLock, releaseRunLock, startRun, type RunLockOptions } from './runs.js';

/** The runs as the reads see them, over the store itself or a unit's `tx`. */
const runReadsOver = (store: LedgerStore) =>
  ({
    latestRunOf: async (commands: readonly string[]) => {
      const row = await latestRunOf(store, commands);
      return row === undefined ? undefined : runView(row);
    },
    recentRuns: async (limit: number) => (await recentRuns(store, limit)).map(runView),
    runSummariesSince: async (command: string, since: string) =>
      (await runSummariesSince(store, command, since)).map((row) => ({
        asOf: row.as_of,
        summary: parsedSummary(row.summary),
      })),
    runMovements: (runId: string) => runMovements(store, runId),
  }) satisfies RunRecordsReads;

/** A unit's writes, each bound to its `tx`; the lock's take reads the holder and writes in that same unit. */
const runWritesOver = (tx: LedgerTx) =>
  ({
    recordStart: (command: string, asOf: string | undefined, now: Date) => startRun(tx, command, asOf, now),
    recordEnd: (runId: string, ending: { outcome: RunOutcome; summary?: unknown; error?: string; now: Date }) =>
      finishRun(tx, runId, ending),
    takeRunLock: (request: RunLockOptions) => acquireRunLock(tx, request),
    refreshRunLock: (runId: string, now: Date) => heartbeatRunLock(tx, runId, now),
    freeRunLock: (runId: string) => releaseRunLock(tx, runId),
  }) satisfies RunRecordsTx;

/**
 * The run records and the run lock as the pipeline's `RunRecords` port (pipeline/runs/run-records.ts) asks for them.
 * An arrow: it does no I/O itself, and the architecture test holds every `export function` taking the store to be async.
 */
export const runRecordsOver = (store: LedgerStore) =>
  ({
    ...runReadsOver(store),
    unit: <T>(work: (tx: ReturnType<typeof runWritesOver>) => Promise<T>) =>
      store.unitOfWork((tx) => work(runWritesOver(tx))),
  }) satisfies RunRecords;

function runView(row: RecordedRunRow) {
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
