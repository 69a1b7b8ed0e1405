import { copyFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import { builtWorld } from '../support/built-worlds.js';
import { usePostgresServer } from '../support/postgres-server.js';
import { MONTH_END, MONTH_END_WORLD } from './month-end-world.js';
import {
  pointAtPostgres,
  startWorker as startWorkerIn,
  startWorkerInProcess,
  until,
  type RunningWorker,
  type WorkerInProcess,
} from './queued-workers.js';
import { runLedgerlineInProcess } from '../support/cli.js';
import {
  createWorkspace,
  holdReply,
  runLedgerline,
  setSandboxDay,
  startScenarioSandbox,
  writeOrdersFile,
  type CliResult,
  type Workspace,
} from './scenario-harness.js';

const { freshDatabase } = usePostgresServer();

/**
 * The same days closed twice: by a local `sync`, night by night (the run's month end, builtWorld(MONTH_END): synced
 * once on a SQLite ledger for the files that read it; month-end-postgres pins that a PostgreSQL ledger books those
 * nights byte for byte as SQLite does), and by `sync --queue` with two `ledgerline worker`s into a PostgreSQL
 * ledger. The printouts and the books must be the same. (The local nights used to be synced again here, into a
 * PostgreSQL ledger of their own: six syncs with nothing of the queue in them.)
 */
describe('sync --queue with workers on a PostgreSQL ledger', { timeout: 300_000 }, () => {
  const days = MONTH_END.days.slice(0, 6);
  let localSandbox: RunningSandbox;
  let localNights: Map<string, Pick<CliResult, 'code' | 'stdout'>>;
  let queuedSandbox: RunningSandbox;
  let local: Workspace;
  let queued: Workspace;
  const localRuns: Pick<CliResult, 'code' | 'stdout'>[] = [];
  const queuedRuns: CliResult[] = [];
  /** Every worker a test starts: one a failed test left running is stopped before the next test reads the books. */
  const workers: RunningWorker[] = [];
  const inProcess: WorkerInProcess[] = [];
  const startWorker = (workspace: Workspace): RunningWorker => {
    const worker = startWorkerIn(workspace);
    workers.push(worker);
    return worker;
  };
  /** In this process, where the queue is the subject: only the SIGTERM test needs the worker's process. */
  const startQueueWorker = (workspace: Workspace): WorkerInProcess => {
    const worker = startWorkerInProcess(workspace);
    inProcess.push(worker);
    return worker;
  };

  /** The local sync of `day`, as the month end's night ended. */
  const closeLocally = (day: string) => {
    localRuns.push(localNights.get(day)!);
  };
  /** `sync --queue` of `day` in this process (its printout is the subject, not its process); its stderr so far. */
  const queueSync = (args: readonly string[]): { stderr: () => string; ended: Promise<CliResult> } => {
    let stderr = () => '';
    const ended = runLedgerlineInProcess(args, {
      cwd: queued.dir,
      env: queued.env,
      timeoutMs: 250_000,
      watchStderr: (soFar) => (stderr = soFar),
    }).then((run) => ({ ...run, signal: null }));
    return { stderr: () => stderr(), ended };
  };
  const queueDay = async (sandbox: RunningSandbox, day: string) => {
    await setSandboxDay(sandbox, day);
    await writeOrdersFile(sandbox, queued.dir, day);
    return queueSync(['sync', '--queue', '--as-of', day, '--job-expiry', '120', '--queue-wait', '240']);
  };

  beforeAll(async () => {
    const month = await builtWorld(MONTH_END);
    localNights = new Map(month.nights.map((night) => [night.day, night]));
    localSandbox = await startScenarioSandbox(MONTH_END_WORLD);
    queuedSandbox = await startScenarioSandbox(MONTH_END_WORLD);
    // The local books as the last of these nights left them, for the exports and reconcile to be read from.
    local = await createWorkspace(localSandbox, 'queued-local');
    copyFileSync(month.ledgerAfter(days.at(-1)!), local.ledgerPath);
    // The sandbox's day is that last night's, as the local syncs left it: reconcile reads "today" from it.
    await setSandboxDay(localSandbox, days.at(-1)!);
    queued = await createWorkspace(queuedSandbox, 'queued-workers');
    pointAtPostgres(queued, await freshDatabase());
    // The month end is synced here only when this file is the run's first to ask for it (38 nights).
  }, 600_000);

  afterEach(async () => {
    for (const worker of workers.splice(0)) {
      if (worker.child.exitCode !== null || worker.child.signalCode !== null) continue;
      worker.child.kill('SIGKILL');
      await worker.ended.catch(() => undefined);
    }
    for (const worker of inProcess.splice(0)) {
      worker.stop();
      await worker.ended.catch(() => undefined);
    }
  });

  afterAll(async () => {
    await localSandbox?.close();
    await queuedSandbox?.close();
    local?.remove();
    queued?.remove();
  });

  it('refuses a past first close before anything is queued, as a local sync does (issue 69: no date a source cannot vouch for)', async () => {
    await setSandboxDay(queuedSandbox, days[1]!);
    const run = await runLedgerline(queued.dir, ['sync', '--queue', '--as-of', days[0]!], queued.env, 60_000);
    expect([run.code, run.stderr]).toEqual([
      2,
      expect.stringContaining(`cannot take its first close as of ${days[0]}`),
    ]);
    expect(run.stderr).toContain('nothing was contacted or written');
  });

  it('prints, day by day, the summary and exit code of a local sync', async () => {
    const workers = [startQueueWorker(queued), startQueueWorker(queued)];
    try {
      for (const day of days.slice(0, 4)) {
        closeLocally(day);
        // In this process: here the queued sync's printout is the subject, not its process (nor the workers').
        await setSandboxDay(queuedSandbox, day);
        await writeOrdersFile(queuedSandbox, queued.dir, day);
        queuedRuns.push(
          await runLedgerline(
            queued.dir,
            ['sync', '--queue', '--as-of', day, '--job-expiry', '120', '--queue-wait', '240'],
            queued.env,
            250_000,
          ),
        );
      }
    } finally {
      for (const worker of workers) worker.stop();
    }
    for (const worker of workers) expect((await worker.ended).code).toBe(0);
    expect(queuedRuns.map((run) => [run.code, run.stdout])).toEqual(localRuns.map((run) => [run.code, run.stdout]));
    expect(queuedRuns.every((run) => run.code === 0 || run.code === 1)).toBe(true);
  });

  it('treats a second enqueue of a queued day as a no-op: both wait for the same jobs', async () => {
    const day = days[4]!;
    closeLocally(day);
    const first = await queueDay(queuedSandbox, day);
    await until(() => first.stderr().includes('queued the closes'), 'the first sync --queue to enqueue');
    const second = queueSync(['sync', '--queue', '--as-of', day, '--queue-wait', '240']);
    await until(() => second.stderr().includes('queued the closes'), 'the second sync --queue to enqueue');
    expect(second.stderr()).toContain('(3 already queued)');
    const worker = startQueueWorker(queued);
    try {
      const [a, b] = [await first.ended, await second.ended];
      expect([a.code, a.stdout]).toEqual([localRuns.at(-1)!.code, localRuns.at(-1)!.stdout]);
      expect([b.code, b.stdout]).toEqual([a.code, a.stdout]);
    } finally {
      worker.stop();
    }
    expect((await worker.ended).code).toBe(0);
  });

  it('finishes the close in hand on SIGTERM and exits 0', async () => {
    const day = days[5]!;
    closeLocally(day);
    // The panel's balance reply is held at the sandbox: the SIGTERM lands while its close is in hand.
    const balance = await holdReply(queuedSandbox, 'panel', 'balance');
    const worker = startWorker(queued);
    const sync = (await queueDay(queuedSandbox, day)).ended;
    expect(await balance.held()).toBe(true);
    worker.child.kill('SIGTERM');
    await until(() => worker.stderr().includes('stopping'), 'the worker to take the SIGTERM');
    await balance.release();
    const stopped = await worker.ended;
    expect(stopped.code).toBe(0);
    const afterStop = stopped.stderr.slice(stopped.stderr.indexOf('stopping'));
    expect(afterStop).toMatch(/booked \d+ events/);
    expect(afterStop).not.toMatch(/FAILED|error/i);
    const rest = startQueueWorker(queued);
    try {
      const result = await sync;
      expect([result.code, result.stdout]).toEqual([localRuns.at(-1)!.code, localRuns.at(-1)!.stdout]);
    } finally {
      rest.stop();
    }
    expect((await rest.ended).code).toBe(0);
  });

  it('books the same entries as the local syncs: exports and reconcile byte for byte, whatever order the workers appended in', async () => {
    for (const format of ['generic', 'xero', 'quickbooks']) {
      const [a, b] = [
        await local.run(['export', '--format', format]),
        await queued.run(['export', '--format', format]),
      ];
      expect(b.code, b.stderr).toBe(0);
      // Two workers append sources in any order; exports and journal numbers come from the entries (issue 15, item 4).
      expect(b.stdout, format).toBe(a.stdout);
    }
    const [a, b] = [
      await local.run(['reconcile', '--as-of', days.at(-1)!, '--json']),
      await queued.run(['reconcile', '--as-of', days.at(-1)!, '--json']),
    ];
    expect(b.stdout).toBe(a.stdout);
    expect([b.code]).toEqual([a.code]);
  });

  it('refuses to run a worker on a SQLite ledger, naming the `ledger` key', async () => {
    const sqlite = await createWorkspace(localSandbox, 'queued-sqlite');
    try {
      const result = await sqlite.run(['worker']);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain('`ledger` key');
    } finally {
      sqlite.remove();
    }
  });
});
