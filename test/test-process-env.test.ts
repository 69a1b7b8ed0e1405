import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statfsSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { processIsAlive } from '../src/runtime/process-liveness.js';
import { removeFoldersOfKilledRuns } from './support/test-process-env.js';

/** As withTemporaryFolderInMemory (test/support/test-process-env.ts) decides: /dev/shm with 4 GiB free. */
function memoryHasRoom(): boolean {
  try {
    const { bavail, bsize } = statfsSync('/dev/shm');
    return bavail * bsize >= 4 * 1024 ** 3;
  } catch {
    return false;
  }
}

describe("the test run's own folders", () => {
  it.runIf(memoryHasRoom())(
    'makes its temporary files in a folder of /dev/shm that any user may write in, as /tmp',
    () => {
      const folder = tmpdir();
      expect(dirname(folder)).toBe('/dev/shm');
      expect(folder).toMatch(/\/ledgerline-test-\w+$/);
      // The sticky bit and everyone's write: the test cluster's owner (postgres, under root) makes its folder here.
      expect(statSync(folder).mode & 0o7777).toBe(0o1777);
    },
  );

  it('keeps the witness of every writing command inside the run, not in the home folder', () => {
    expect(process.env.XDG_STATE_HOME?.startsWith(`${tmpdir()}/ledgerline-test-state-`)).toBe(true);
  });
});

describe('the folders of runs killed by hand', () => {
  it("stops the PostgreSQL cluster of a run whose maker is gone and removes its folder, leaving a live run's alone", async () => {
    const parent = mkdtempSync(join(tmpdir(), 'killed-runs-'));
    try {
      // A stand-in postmaster: sleep, started through a link named postgres, which is the name the kernel gives it.
      const postgres = join(parent, 'postgres');
      symlinkSync('/bin/sleep', postgres);
      const postmaster = spawn(postgres, ['60'], { stdio: 'ignore' });
      const exited = once(postmaster, 'exit');
      expect(readFileSync(`/proc/${postmaster.pid}/comm`, 'utf8').trim()).toBe('postgres');

      const killed = join(parent, 'ledgerline-test-Killed');
      mkdirSync(join(killed, 'ledgerline-pg-Abc123', 'data'), { recursive: true });
      const gone = spawnSync('true').pid;
      writeFileSync(join(killed, 'run-owner'), `${gone} \n`);
      writeFileSync(join(killed, 'ledgerline-pg-Abc123', 'data', 'postmaster.pid'), `${postmaster.pid}\n${killed}\n`);
      const running = join(parent, 'ledgerline-test-Runnin');
      mkdirSync(running);
      writeFileSync(join(running, 'run-owner'), `${process.pid} \n`);
      const beingMade = join(parent, 'ledgerline-test-Making');
      mkdirSync(beingMade);

      expect(removeFoldersOfKilledRuns(parent)).toEqual([killed]);
      // SIGQUIT: PostgreSQL's immediate shutdown, as `pg_ctl stop -m immediate` asks it.
      expect(await exited).toEqual([null, 'SIGQUIT']);
      expect(existsSync(killed)).toBe(false);
      expect(existsSync(running)).toBe(true);
      expect(existsSync(beingMade)).toBe(true);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it("signals no process that is not a postmaster, though the killed run's postmaster.pid names it", async () => {
    const parent = mkdtempSync(join(tmpdir(), 'killed-runs-'));
    const bystander = spawn('/bin/sleep', ['60'], { stdio: 'ignore' });
    try {
      const killed = join(parent, 'ledgerline-test-Killed');
      mkdirSync(join(killed, 'ledgerline-pg-Abc123', 'data'), { recursive: true });
      writeFileSync(join(killed, 'run-owner'), `${spawnSync('true').pid} \n`);
      writeFileSync(join(killed, 'ledgerline-pg-Abc123', 'data', 'postmaster.pid'), `${bystander.pid}\n`);

      expect(removeFoldersOfKilledRuns(parent)).toEqual([killed]);
      // Still running: a signalled bystander would be a zombie here (its exit not yet reaped), which still reads as sleep.
      expect(processIsAlive(bystander.pid!)).toBe(true);
      expect(bystander.exitCode).toBeNull();
      expect(bystander.signalCode).toBeNull();
      expect(readFileSync(`/proc/${bystander.pid}/comm`, 'utf8').trim()).toBe('sleep');
    } finally {
      bystander.kill();
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
