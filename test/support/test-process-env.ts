import { chmodSync, existsSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/**
 * Puts the run's temporary files (each test's ledger folder, the PostgreSQL test cluster, the worlds built once) in
 * a folder of /dev/shm, before vitest forks its workers and its global setup starts the cluster. What these files
 * test is the ledger, not the disk under it, and ext4 charges for their churn: each test database is a copy of
 * several hundred files, each dropped after its file, and a whole run spent 11 % of the machine's CPU in ext4
 * looking for a free inode past the ones just deleted (`perf record -a` of a whole run, 2026-11-29). Where there is
 * no /dev/shm or it is small (a container's 64 MB), the usual temporary folder. Call it first: the other folders
 * of the run are made inside it. The folder goes when the run's process ends.
 */
export function withTemporaryFolderInMemory(): void {
  if (!existsSync(MEMORY_FOLDER)) return;
  const { bavail, bsize } = statfsSync(MEMORY_FOLDER);
  if (bavail * bsize < MEMORY_ROOM_BYTES) return;
  const folder = mkdtempSync(join(MEMORY_FOLDER, 'ledgerline-test-'));
  // As /tmp is: the test cluster belongs to another user (postgres, under root) and makes its folder here.
  chmodSync(folder, 0o1777);
  process.env.TMPDIR = folder;
  process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
}
