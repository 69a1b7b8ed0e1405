import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { RunInProgressError } from '../../../errors.js';
import type { AbandonedRun, RunOutcome } from '../../../ledger/index.js';
import { toStoredJson } from '../../../rules/index.js';
import { processLiveness } from '../../../runtime/process-liveness.js';
import { queryBuilder, type StoreHandle, type StoreTx } from '../../../store/index.js';
import type { RunLockRequest } from './run-records.js';

/** The run lock's table (migrations 0011, 0035): the runs' books alone read and write it. */
type RunLockTables = { run_lock: RunLockTable };

const runLockQueries = (store: StoreHandle) => queryBuilder(store).withTables<RunLockTables>();

interface RunLockTable {
  name: string;
  run_id: string;
  pid: bigint | number;
  /** When the holder's pid started (/proc/PID/stat field 22), null where it could not be read (0035). */
  pid_started: string | null;
  host: string;
  acquired_at: string;
  heartbeat_at: string;
}

/** Records a command run in the ledger, so `status` can say what happened last night. */
export async function startRun(store: StoreTx, command: string, asOf: string | undefined, now: Date): Promise<string> {
  const id = `run:${now.toISOString()}:${randomUUID().slice(0, 8)}`;
  await store.run(
    queryBuilder(store)
      .insertInto('runs')
      .values({
        id,
        command,
        started_at: now.toISOString(),
        as_of: asOf ?? null,
        finished_at: null,
        outcome: null,
        summary: null,
        error: null,
      }),
  );
  return id;
}

export async function finishRun(
  store: StoreTx,
  runId: string,
  result: { outcome: RunOutcome; summary?: unknown; error?: string; now: Date },
): Promise<void> {
  await store.run(
    queryBuilder(store)
      .updateTable('runs')
      .set({
        finished_at: result.now.toISOString(),
        outcome: result.outcome,
        summary: result.summary === undefined ? null : toStoredJson(result.summary),
        error: result.error ?? null,
      })
      .where('id', '=', runId),
  );
}

/** The lock's request, with the holder's pid and host (this process's unless a test says). */
type RunLockOptions = RunLockRequest & { pid?: number; host?: string };

/**
 * The runs this process holds the lock for. A release that could not be written (a full disk) leaves the row
 * naming this live process; a long-lived process (`schedule`, `worker`) would then refuse its own next run
 * until the heartbeat went stale. A holder with this process's pid and host that is not in this set ended.
 */
const heldByThisProcess = new Set<string>();

/**
 * One writer at a time, across processes: a row in the ledger database names
 * the run holding the lock. A holder that is gone (its process no longer
 * runs on this host: no such pid, a zombie, or a pid since given to a process
 * that started later than the one recorded; or its heartbeat is stale) is taken over, so a killed
 * run never blocks the next night, and its record is closed as interrupted,
 * so `status` does not show it running for ever. Returns that run, if any.
 * Written in the caller's unit (`tx`): the holder is read and replaced in one transaction.
 */
export async function acquireRunLock(tx: StoreTx, options: RunLockOptions): Promise<AbandonedRun | undefined> {
  const pid = options.pid ?? process.pid;
  const host = options.host ?? hostname();
  const nowText = options.now.toISOString();
  const taken = { run_id: options.runId, pid, pid_started: processLiveness.startTicks(pid) ?? null, host };
  const holder = await lockHolder(tx);
  const abandoned =
    holder && holder.run_id !== options.runId ? await takeOverFrom(tx, holder, { ...options, host }) : undefined;
  await tx.run(
    runLockQueries(tx)
      .insertInto('run_lock')
      .values({ name: 'ledger', ...taken, acquired_at: nowText, heartbeat_at: nowText })
      .onConflict((conflict) =>
        conflict.column('name').doUpdateSet({ ...taken, acquired_at: nowText, heartbeat_at: nowText }),
      ),
  );
  if (pid === process.pid) heldByThisProcess.add(options.runId);
  return abandoned;
}

/** The row naming the run that holds the ledger's lock, if any. */
function lockHolder(tx: StoreTx) {
  return tx.first(runLockQueries(tx).selectFrom('run_lock').selectAll().where('name', '=', 'ledger'));
}

/** Refuses while `holder` is alive (RunInProgressError, naming its run); else closes its run as interrupted. */
async function takeOverFrom(
  tx: StoreTx,
  holder: NonNullable<Awaited<ReturnType<typeof lockHolder>>>,
  options: RunLockOptions & { host: string },
): Promise<AbandonedRun> {
  const isAlive = options.isAlive ?? processLiveness.isAlive;
  const heartbeatAge = options.now.getTime() - Date.parse(holder.heartbeat_at);
  const sameHost = holder.host === options.host;
  const endedHere = sameHost && Number(holder.pid) === process.pid && !heldByThisProcess.has(holder.run_id);
  const holderGone =
    (sameHost && !isAlive(Number(holder.pid), holder.pid_started)) || endedHere || heartbeatAge > options.staleAfterMs;
  if (!holderGone) {
    const running = await tx.first(
      queryBuilder(tx).selectFrom('runs').select('command').where('id', '=', holder.run_id),
    );
    throw new RunInProgressError(
      `another ledgerline run (${holder.run_id}, pid ${holder.pid} on ${holder.host}, since ` +
        `${holder.acquired_at}${running ? `, running "ledgerline ${running.command}"` : ''}) is using ` +
        `this ledger; try again when it finishes`,
    );
  }
  const closed = await tx.run(
    queryBuilder(tx)
      .updateTable('runs')
      .set({
        finished_at: options.now.toISOString(),
        outcome: 'interrupted',
        error: `ended without releasing the ledger (pid ${holder.pid} on ${holder.host}); taken over by ${options.runId}`,
      })
      .where('id', '=', holder.run_id)
      .where('finished_at', 'is', null),
  );
  return { runId: holder.run_id, pid: String(holder.pid), host: holder.host, markedInterrupted: closed.changes > 0 };
}

export async function heartbeatRunLock(store: StoreTx, runId: string, now: Date): Promise<void> {
  await store.run(
    runLockQueries(store)
      .updateTable('run_lock')
      .set({ heartbeat_at: now.toISOString() })
      .where('name', '=', 'ledger')
      .where('run_id', '=', runId),
  );
}

export async function releaseRunLock(store: StoreTx, runId: string): Promise<void> {
  // Forgotten first: if the row cannot be deleted, this process's next run still knows this one ended.
  heldByThisProcess.delete(runId);
  await store.run(
    runLockQueries(store).deleteFrom('run_lock').where('name', '=', 'ledger').where('run_id', '=', runId),
  );
}
