import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir.js';
import { holdReply } from '../scenarios/scenario-harness.js';
import {
  assertBuilt,
  lockHolder,
  overlaps,
  recordedRuns,
  sandboxProject,
  spawnCli,
  until,
  workedRuns,
  type SandboxProject,
  useScheduleProcesses,
  type SpawnedCli,
} from './schedule-harness.js';

/**
 * `ledgerline schedule` as separate processes on one ledger, as cron, systemd
 * or a second terminal would start them. The built CLI runs on the real clock,
 * so it syncs the real yesterday, past the sandbox world's last change: the
 * runs book nothing, which is all these tests need.
 */
const tempDir = useTempDir('ledgerline-schedule-process-');
const EVERY_SECOND = 'schedule:\n  cron: "* * * * * *"\n  timezone: UTC';
const processes = useScheduleProcesses();

beforeAll(() => assertBuilt());

async function project(schedule: string): Promise<SandboxProject> {
  const made = await sandboxProject(tempDir(), { schedule });
  processes.keep(made);
  return made;
}

function start(p: SandboxProject, args: readonly string[]): SpawnedCli {
  const spawned = spawnCli(['schedule', '--log-format', 'json', ...args], {
    cwd: p.dir,
    env: p.env,
    timeoutMs: 120_000,
  });
  processes.spawned(spawned);
  return spawned;
}

describe('ledgerline schedule, one process against another', () => {
  it('a second schedule process on the same ledger never syncs at the same time: its attempts are refused by the lock, recorded and logged', async () => {
    const p = await project(EVERY_SECOND);
    // The first run's panel balance reply is held at the sandbox: it holds the ledger while the other process ticks.
    const balance = await holdReply(p.sandbox, 'panel', 'balance');
    const first = start(p, []);
    const second = start(p, []);

    const refused = () =>
      recordedRuns(p.ledgerPath).filter((run) => (run.error ?? '').startsWith('another ledgerline run'));
    expect(await balance.held()).toBe(true);
    await until(() => refused().length >= 1, 60_000, 'a refusal');
    await balance.release();
    await until(
      () => workedRuns(p.ledgerPath).filter((run) => run.finished_at !== null).length >= 2 && refused().length >= 1,
      60_000,
      'two runs and a refusal',
    );
    first.child.kill('SIGTERM');
    second.child.kill('SIGTERM');

    expect((await first.exited).code).toBe(0);
    expect((await second.exited).code).toBe(0);
    const worked = workedRuns(p.ledgerPath);
    expect(overlaps(worked)).toEqual([]);
    expect(worked.every((run) => run.finished_at !== null)).toBe(true);
    expect(refused().every((run) => run.outcome === 'refused' && run.finished_at !== null)).toBe(true);
    expect(`${first.stderr()}${second.stderr()}`).toContain(
      '"message":"scheduled run refused: another ledgerline run (run:',
    );
  });

  it('a run killed with SIGKILL leaves its lock behind; the next run sees its process is gone, takes over, and records it as interrupted', async () => {
    const p = await project(EVERY_SECOND);
    // The first run's first request (to the ad network) hangs, so the run is surely mid-way when it is killed.
    p.sandbox.injectFaults({ service: 'payelancer', slow: { count: 1, delayMs: 8_000 } });
    const killed = start(p, ['--once']);
    await until(() => killed.stderr().includes('"message":"taking the close of'), 60_000, 'the first run syncing');
    const holder = lockHolder(p.ledgerPath)!;
    killed.child.kill('SIGKILL');
    expect((await killed.exited).signal).toBe('SIGKILL');
    expect(lockHolder(p.ledgerPath)).toEqual(holder);
    p.sandbox.injectFaults({ service: 'payelancer', clear: true });

    const next = start(p, ['--once']);
    expect((await next.exited).code).toBe(0);

    const [first, second] = recordedRuns(p.ledgerPath);
    expect(first).toMatchObject({ id: holder.run_id, outcome: 'interrupted' });
    expect(first!.error).toMatch(
      new RegExp(
        `^ended without releasing the ledger \\(pid ${holder.pid} on .+\\); taken over by ${second!.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
      ),
    );
    expect(second).toMatchObject({ command: 'schedule', outcome: 'ok' });
    expect(lockHolder(p.ledgerPath)).toBeUndefined();
    expect(next.stderr()).toContain(`took over the ledger from run ${holder.run_id}`);
  });

  it('SIGTERM during a run: the step in progress finishes, the rest waits for the next run, the run is recorded, exit 0', async () => {
    const p = await project(`${EVERY_SECOND}\n  post: [xero]`);
    // The run's panel balance reply is held at the sandbox: the SIGTERM lands while the panel's step is in hand.
    const balance = await holdReply(p.sandbox, 'panel', 'balance');
    const scheduler = start(p, []);
    expect(await balance.held()).toBe(true);
    scheduler.child.kill('SIGTERM');
    await until(() => scheduler.stderr().includes('received SIGTERM'), 60_000, 'the SIGTERM taken');
    await balance.release();

    expect(await scheduler.exited).toEqual({ code: 0, signal: null });
    const runs = recordedRuns(p.ledgerPath);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ command: 'schedule', outcome: 'interrupted', error: null });
    expect(runs[0]!.finished_at).not.toBeNull();
    expect(lockHolder(p.ledgerPath)).toBeUndefined();
    expect(p.fakes.xero.journals()).toEqual([]);
    expect(scheduler.stderr()).toContain('received SIGTERM: finishing the current step, then stopping');
    expect(scheduler.stderr()).toContain('is left for the next run');
  });
});
