import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createDestinationFakes, SANDBOX_ENVIRONMENT } from '../../sandbox/destination-fakes.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/sandbox-server.js';
import { runLedgerlineProcess, type CliRun } from '../support/cli.js';
import { childOfLateReaper, killToZombie, procStat } from '../support/late-reaper.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * The ledger's run lock names a holder by pid and by when that pid started (/proc/PID/stat). A run killed
 * with kill -9 whose parent has not reaped it yet is a zombie: it answers signal 0 but runs nothing, so it
 * holds nothing (issue 69, item 9). The built CLI is the subject, as a subprocess.
 */
const tempDir = useTempDir('ledgerline-zombie-');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const DAY = '2026-03-01';

async function project(): Promise<{ dir: string; ledgerPath: string; run: (args: string[]) => Promise<CliRun> }> {
  const fakes = createDestinationFakes();
  const sandbox: RunningSandbox = await startSandbox({
    port: 0,
    today: DAY,
    extraMounts: [fakes.xero, fakes.quickbooks],
  });
  cleanups.push(() => sandbox.close());
  const dir = tempDir();
  const run = (args: string[]) =>
    runLedgerlineProcess(args, { cwd: dir, env: { ...SANDBOX_ENVIRONMENT, NO_COLOR: '1' } });
  const init = await run(['init', '--sandbox-url', sandbox.baseUrl]);
  expect(init.code, init.stderr).toBe(0);
  writeFileSync(join(dir, 'orders.csv'), await (await fetch(`${sandbox.adminUrl}/orders.csv`)).text());
  return { dir, ledgerPath: join(dir, 'data', 'ledger.sqlite'), run };
}

/** What a run writes when it takes the lock: its run, and its pid with the pid's start. */
function holdLock(ledgerPath: string, pid: number, pidStarted: string | undefined): void {
  const db = new Database(ledgerPath);
  const now = new Date().toISOString();
  db.prepare("INSERT INTO runs (id, command, started_at, as_of) VALUES ('run:held', 'sync', ?, ?)").run(now, DAY);
  db.prepare(
    "INSERT INTO run_lock (name, run_id, pid, pid_started, host, acquired_at, heartbeat_at) VALUES ('ledger', 'run:held', ?, ?, ?, ?, ?)",
  ).run(pid, pidStarted ?? null, hostname(), now, now);
  db.close();
}

describe.runIf(process.platform === 'linux')('the run lock of a killed run', { timeout: 60_000 }, () => {
  it('refuses (exit 75) while its holder runs, and is taken over at once when the holder, killed, lingers as a zombie', async () => {
    const p = await project();
    const holder = await childOfLateReaper();
    cleanups.push(() => void holder.parent.kill('SIGKILL'));
    holdLock(p.ledgerPath, holder.pid, procStat(holder.pid).startTicks);

    const refused = await p.run(['sync', '--as-of', DAY, '--orders-file', 'orders.csv']);
    expect(refused.code, refused.stderr).toBe(75);
    expect(refused.stderr).toContain(`another ledgerline run (run:held, pid ${holder.pid}`);

    await killToZombie(holder.pid);
    expect(procStat(holder.pid).state, 'the killed run is a zombie, unreaped').toBe('Z');

    const next = await p.run(['sync', '--as-of', DAY, '--orders-file', 'orders.csv']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain(`took over the ledger from run run:held (pid ${holder.pid}`);
  });

  it('a live pid that started after the holder recorded it (the pid given to another process) holds nothing', async () => {
    const p = await project();
    const other = await childOfLateReaper();
    cleanups.push(() => void other.parent.kill('SIGKILL'));
    const started = procStat(other.pid).startTicks;
    holdLock(p.ledgerPath, other.pid, String(BigInt(started) - 1n));
    const next = await p.run(['sync', '--as-of', DAY, '--orders-file', 'orders.csv']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain(`took over the ledger from run run:held (pid ${other.pid}`);
  });
});
