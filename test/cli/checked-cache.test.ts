import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLedgerline, runLedgerlineProcess } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

/** Every file the CLI keeps under the cache home (the code cache's and the checks'), by path. */
function keptFiles(cacheHome: string): string[] {
  return readdirSync(cacheHome, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

const checkedFiles = (cacheHome: string) => keptFiles(cacheHome).filter((file) => file.endsWith('.checked'));

describe("the CLI keeps the configuration's and the chart's checks (src/config/checked-cache.ts)", () => {
  const tempDir = useTempDir();

  /** A fresh init's folder, and the environment of a CLI whose caches live in a folder of the test's. */
  async function initialised() {
    const dir = tempDir();
    expect((await runLedgerline(['init', '--sandbox-url', 'http://127.0.0.1:9'], { cwd: dir })).code).toBe(0);
    const cacheHome = join(dir, 'cache');
    return { dir, cacheHome, env: { XDG_CACHE_HOME: cacheHome } };
  }

  it('a file edited after its check was kept is checked again: its new problem is reported word for word', async () => {
    const { dir, env } = await initialised();
    const first = await runLedgerlineProcess(['balances'], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    expect(await runLedgerlineProcess(['balances'], { cwd: dir, env })).toEqual(first);
    const configFile = join(dir, 'ledgerline.yaml');
    writeFileSync(configFile, readFileSync(configFile, 'utf8').replace(/^timezone: UTC/m, 'timezone: Mars/Olympus'));

    const cached = await runLedgerlineProcess(['balances'], { cwd: dir, env });
    const uncached = await runLedgerlineProcess(['balances'], {
      cwd: dir,
      env: { ...env, LEDGERLINE_CODE_CACHE: 'off' },
    });

    expect(uncached.code).toBe(2);
    expect(uncached.stderr).toContain('at timezone: is not an IANA time zone name');
    expect(cached).toEqual(uncached);
  });

  it('kept files planted with garbage, or with each other’s entries, are ignored and the answer is the same', async () => {
    const { dir, cacheHome, env } = await initialised();
    const first = await runLedgerlineProcess(['balances'], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    const [one, two] = checkedFiles(cacheHome);
    expect(two).toBeDefined();
    const [bytesOne, bytesTwo] = [readFileSync(one!), readFileSync(two!)];

    writeFileSync(one!, bytesTwo);
    writeFileSync(two!, bytesOne);
    expect(await runLedgerlineProcess(['balances'], { cwd: dir, env })).toEqual(first);
    for (const file of checkedFiles(cacheHome)) writeFileSync(file, 'not a kept check \u0000\u00ff');
    expect(await runLedgerlineProcess(['balances'], { cwd: dir, env })).toEqual(first);
  });

  it('a configuration whose secret references are set is kept with no byte of a secret; another value is a miss', async () => {
    const { dir, cacheHome, env } = await initialised();
    const secrets = ['kept-nowhere-5f1c9e2a7b', 'kept-nowhere-either-0d4b']; // the second: the key rotated
    const withSecret = (secret: string) => ({
      ...env,
      PANEL_KEY: secret,
      PAYELANCER_KEY: secret,
      LEDGERLINE_WEBHOOK_SECRET: secret,
    });
    expect(readFileSync(join(dir, 'ledgerline.yaml'), 'utf8')).toContain('${PANEL_KEY}');
    const bare = await runLedgerlineProcess(['balances'], { cwd: dir, env });
    const keptWithout = checkedFiles(cacheHome).length;

    const runs = [];
    for (const secret of secrets) {
      for (const args of [['balances'], ['status', '--json'], ['balances']]) {
        const run = await runLedgerlineProcess(args, { cwd: dir, env: withSecret(secret) });
        expect(run.code, run.stderr).not.toBe(2);
        runs.push(run);
      }
      expect(runs.at(-1)).toEqual(bare);
    }

    // Per value, one more kept check of the configuration for each command's needs (balances, status): a rotated key
    // never reads a check made with the old one.
    expect(checkedFiles(cacheHome).length).toBe(keptWithout + 4);
    const holding = (file: string, secret: string) =>
      readFileSync(file).includes(secret) || readFileSync(file).includes(Buffer.from(secret, 'utf16le'));
    expect(keptFiles(cacheHome).filter((file) => secrets.some((secret) => holding(file, secret)))).toEqual([]);
  });
});
