import { mkdtempSync, rmSync } from 'node:fs';
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
