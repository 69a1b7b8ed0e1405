import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLedgerline, runLedgerlineProcess } from '../support/cli.js';
import { soakOr } from '../support/soak.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * Ordinary situations a user meets (issue 24, item 6), each through the built CLI: a one-line message and
 * exit 2 or 3, never "a bug" (runLedgerline fails the test on the bug report), nothing lost, the next run able to go on.
 */
/** Pairs of first runs started at once: two in `npm test`, the six it used to start in `npm run soak`. */
const RACING_PAIRS = soakOr(2, 6);

describe('ordinary situations end as an ordinary exit', { timeout: 120_000 }, () => {
  const tempDir = useTempDir('ledgerline-ordinary-');

  it.each([['webhooks'], ['sandbox']])(
    '%s --port 99999 is a usage mistake naming the port (exit 2)',
    async (command) => {
      const run = await runLedgerline([command, '--port', '99999'], { cwd: tempDir() });
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')[0]).toContain('--port must be a whole number from 0 to 65535, got "99999"');
    },
  );

  it('two first runs on a new ledger both end well: the migration waits for the other', async () => {
    const template = tempDir();
    expect((await runLedgerline(['init', '--sandbox-url', 'http://127.0.0.1:1'], { cwd: template })).code).toBe(0);
    rmSync(join(template, 'data'), { recursive: true });
    const pairs = Array.from({ length: RACING_PAIRS }, () => {
      const dir = tempDir();
      cpSync(template, dir, { recursive: true });
      mkdirSync(join(dir, 'data'));
      return dir;
    });
    // Two processes, as two terminals would be: the race is between processes opening one new file.
    const runs = await Promise.all(
      pairs.flatMap((dir) => [
        runLedgerlineProcess(['migrate'], { cwd: dir }),
        runLedgerlineProcess(['migrate'], { cwd: dir }),
      ]),
    );
    expect(runs.map((run) => [run.code, run.stderr])).toEqual(runs.map(() => [0, '']));
    const again = await runLedgerline(['migrate'], { cwd: pairs[0]! });
    expect(again.stdout).toContain('is up to date');
  });
});
