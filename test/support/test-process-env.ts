import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processIsAlive, processStartTicks } from '../../src/runtime/process-liveness.js';

/**
 * Drops NODE_EXTRA_CA_CERTS from the test run's environment, before vitest forks its workers, so that neither they
 * nor the CLI and sandbox processes they start read it. Every test talks to servers on 127.0.0.1 over plain HTTP,
 * so no certificate is ever checked; but Node loads the extra CA bundle at every start, whether or not it makes a
 * TLS connection: `node -e 0` takes 110 CPU-ms with this machine's /etc/ssl/certs bundle and 35 without (measured
 * 2026-11-26 on the 2-core machine), and the suite starts the CLI and the sandbox several hundred times.
 */
export function withoutExtraCaCertificates(): void {
  delete process.env.NODE_EXTRA_CA_CERTS;
}

/**
 * Gives the run a state folder of its own (XDG_STATE_HOME) before vitest forks its workers, so the witness every
 * writing command keeps by default (issue 73, `$XDG_STATE_HOME/ledgerline/witness/`) lands in a temporary folder,
 * not in the home folder of whoever runs the suite. The folder goes when the run's process ends (the workers' have
 * ended before it), so runs leave no folder behind in the temporary directory.
 */
export function withPrivateStateHome(): void {
  const folder = mkdtempSync(join(tmpdir(), 'ledgerline-test-state-'));
  process.env.XDG_STATE_HOME = folder;
  process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
}

/** The folder in memory the run's temporary files go to, when the machine has one with this much room. */
const MEMORY_FOLDER = '/dev/shm';
const MEMORY_ROOM_BYTES = 4 * 1024 ** 3;
/** The run's folders in memory: `ledgerline-test-` and mkdtemp's six characters. */
const RUN_FOLDER_PREFIX = 'ledgerline-test-';
/** In a run's folder: the pid and start time of the process that made it, so a later run can tell it was killed. */
const RUN_OWNER_FILE = 'run-owner';
/** How long a killed run's PostgreSQL cluster is given to go after SIGQUIT before its folder is removed anyway. */
const CLUSTER_STOP_WAIT_MS = 5_000;

/**
 * Puts the run's temporary files (each test's ledger folder, the PostgreSQL test cluster, the worlds built once) in
 * a folder of /dev/shm, before vitest forks its workers and its global setup starts the cluster. What these files
 * test is the ledger, not the disk under it, and ext4 charges for their churn: each test database is a copy of
 * several hundred files, each dropped after its file, and a whole run spent 11 % of the machine's CPU in ext4
 * looking for a free inode past the ones just deleted (`perf record -a` of a whole run, 2026-11-29). Where there is
 * no /dev/shm or it is small (a container's 64 MB), the usual temporary folder. Call it first: the other folders
 * of the run are made inside it. The folder goes when the run's process ends; a run killed before its end leaves it
 * to the next run (removeFoldersOfKilledRuns).
 */
export function withTemporaryFolderInMemory(): void {
  if (!existsSync(MEMORY_FOLDER)) return;
  removeFoldersOfKilledRuns(MEMORY_FOLDER);
  const { bavail, bsize } = statfsSync(MEMORY_FOLDER);
  if (bavail * bsize < MEMORY_ROOM_BYTES) return;
  const folder = mkdtempSync(join(MEMORY_FOLDER, RUN_FOLDER_PREFIX));
  // As /tmp is: the test cluster belongs to another user (postgres, under root) and makes its folder here.
  chmodSync(folder, 0o1777);
  writeFileSync(join(folder, RUN_OWNER_FILE), `${process.pid} ${processStartTicks(process.pid) ?? ''}\n`);
  process.env.TMPDIR = folder;
  process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
}

/**
 * A run stopped by hand (SIGKILL, or SIGTERM to vitest, whose global teardown then never runs) leaves its folder in
 * `parent` and the PostgreSQL cluster inside it running, holding memory and room in /dev/shm (a whole run's folder
 * reached 361 MB in CI) until the machine restarts. A later run ends both: each cluster of a folder whose maker is
 * gone gets SIGQUIT (PostgreSQL's immediate shutdown, what `pg_ctl stop -m immediate` sends), then the folder goes.
 * A folder without its maker's record (one being made this moment) is left alone. Returns the folders removed.
 */
export function removeFoldersOfKilledRuns(parent: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(RUN_FOLDER_PREFIX)) continue;
    const folder = join(parent, name);
    const owner = readPidFile(join(folder, RUN_OWNER_FILE));
    if (owner === undefined || processIsAlive(owner.pid, owner.startTicks)) continue;
    for (const postmaster of postmastersIn(folder)) stopPostmaster(postmaster);
    rmSync(folder, { recursive: true, force: true });
    removed.push(folder);
  }
  return removed;
}

/** "8123 48210" (a pid and its start time), or PostgreSQL's postmaster.pid, whose first line is the pid. */
function readPidFile(path: string): { pid: number; startTicks: string | undefined } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const [pid, startTicks] = (text.split('\n')[0] ?? '').trim().split(' ');
  const parsed = Number(pid);
  return Number.isSafeInteger(parsed) && parsed > 0 ? { pid: parsed, startTicks: startTicks || undefined } : undefined;
}

/** The live postmasters of the clusters a run made in its folder (`ledgerline-pg-*` with its `data`). */
function postmastersIn(folder: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync(folder)) {
    if (!name.startsWith('ledgerline-pg-')) continue;
    const postmaster = readPidFile(join(folder, name, 'data', 'postmaster.pid'));
    // The pid may have gone to another program since: only a process named postgres is signalled.
    if (postmaster !== undefined && processIsAlive(postmaster.pid) && commandOf(postmaster.pid) === 'postgres')
      pids.push(postmaster.pid);
  }
  return pids;
}

function commandOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function stopPostmaster(pid: number): void {
  try {
    process.kill(pid, 'SIGQUIT');
  } catch {
    return;
  }
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (const deadline = Date.now() + CLUSTER_STOP_WAIT_MS; processIsAlive(pid) && Date.now() < deadline;)
    Atomics.wait(pause, 0, 0, 50);
}
