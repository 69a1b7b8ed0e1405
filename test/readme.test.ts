import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The README's top promises two commands that work on a fresh checkout. This
 * copies the repository (its tracked files, as a clone has them) to a temp
 * folder and runs the first, `npm install && npm run demo`, exactly as the
 * README shows it: the suite's one run of the demo, its exports checked here.
 * The second, `npm test`, is the command `.ci/run` runs on a clean clone of
 * every submission; running it again inside itself here proved nothing more
 * and cost a lint, a build and a test run (about 70 s of the suite's CPU), so
 * this file checks that `.ci/run` runs exactly that command.
 * `npm run demo` is `npm run build` and then the demo. `npm test` has just built
 * the same sources (its pretest, `npm run build`, checked below), so the copy
 * takes that build and runs the rest of the command: building again in the copy
 * cost 13 of this file's 34 CPU-s and built nothing new.
 */
const root = resolve(import.meta.dirname, '..');

export function readmeCommands(readme: string): string[] {
  const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line.length > 0);
}

function shell(command: string, cwd: string, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn('sh', ['-c', command], {
      cwd,
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output });
    });
  });
}

describe('the README quick start', () => {
  it('names exactly two commands at the top: run the demo, run the tests', () => {
    expect(readmeCommands(readFileSync(join(root, 'README.md'), 'utf8'))).toEqual([
      'npm install && npm run demo',
      'npm test',
    ]);
  });

  describe('on a copy of the repository (its tracked files, as a clone has them)', () => {
    // One copy for both commands (the second runs where the first installed and built), removed after both.
    let copy = '';
    afterAll(() => rmSync(copy, { recursive: true, force: true }));
    beforeAll(() => {
      // Beside the repository, not in the run's temporary folder: hard links (below) cannot cross to /dev/shm.
      mkdirSync(join(root, 'test-artifacts'), { recursive: true });
      copy = mkdtempSync(join(root, 'test-artifacts', 'readme-copy-'));
      const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
        .split('\0')
        .filter(Boolean);
      for (const file of tracked) {
        mkdirSync(dirname(join(copy, file)), { recursive: true });
        copyFileSync(join(root, file), join(copy, file));
      }
      // The installed packages are hard-linked in, so `npm install` checks them instead of compiling better-sqlite3 again.
      execFileSync('cp', ['-al', join(root, 'node_modules'), join(copy, 'node_modules')]);
      // And npm test's own build of these sources (its pretest), which `npm run demo` would only make again.
      execFileSync('cp', ['-al', join(root, 'dist'), join(copy, 'dist')]);
    }, 120_000);

    // The suite's one run of the demo (it used to run again in test/cli/demo.test.ts): the README's own command.
    it(
      "the first command installs and runs the demo on npm test's build: the whole path on the sandbox, balanced exports left behind",
      { timeout: 300_000 },
      async () => {
        const [runDemo] = readmeCommands(readFileSync(join(copy, 'README.md'), 'utf8'));
        const demoScript = packageScripts(copy)['demo']!;
        expect(demoScript).toBe('npm run build && node dist/src/cli/main.js demo');
        // The README's command, with `npm run demo` run as its script after the build npm test's pretest made.
        const withoutBuild = runDemo!.replace('npm run demo', demoScript.replace('npm run build && ', ''));
        expect(withoutBuild).toBe('npm install && node dist/src/cli/main.js demo');
        const demo = await shell(withoutBuild, copy, 290_000);
        expect(demo.code, demo.output.slice(-3000)).toBe(0);
        expect(demo.output).toContain('2. sync: 35 closes, 2026-03-01 to 2026-04-04');
        expect(demo.output).toMatch(/panel balance at the last close: sandbox (\S+), ledger panel_prepaid \1/);
        // The opening its first statement booked, and the ledger's bank at the statement's closing balance (issue 69).
        expect(demo.output).toContain('opening balance 5500.00 USD of main-bank booked on 2026-03-01');
        expect(demo.output).toMatch(
          /13\. the bank \(transit\): bank account main-bank: the statement closes 2026-04-04 at 2419\.43 USD, and the ledger's bank holds 2419\.43 that day/,
        );
        const dir = /ledgerline demo in (\S+)/.exec(demo.output)?.[1];
        expect(dir).toBeDefined();
        try {
          // The demo ran to its end (it names its folder once more when done), not merely exited 0.
          expect(demo.output).toContain(`everything is in ${dir!}`);
          expectBalancedExports(dir!);
        } finally {
          rmSync(dir!, { recursive: true, force: true });
        }
      },
    );

    it('the second command, npm test, is what .ci/run runs on a clean clone: the lint, then the build and every tier; then the soak', () => {
      const [, runTests] = readmeCommands(readFileSync(join(copy, 'README.md'), 'utf8'));
      const ciCommands = readFileSync(join(copy, '.ci/run'), 'utf8')
        .split('\n')
        .filter((line) => /^npm (test|run)\b/.test(line));
      expect(ciCommands).toHaveLength(3);
      // The lint is its own step (out of npm test), and CI fails on it.
      expect(ciCommands[0]).toBe('npm run lint');
      expect(ciCommands[1]!.startsWith(`${runTests!} -- `)).toBe(true);
      // The kill -9 files' long rounds (vitest.soak.config.ts), after the suite.
      expect(ciCommands[2]!.startsWith('npm run soak -- ')).toBe(true);
      const scripts = packageScripts(copy);
      expect({ pretest: scripts['pretest'], test: scripts['test'], soak: scripts['soak'] }).toEqual({
        pretest: 'npm run build',
        test: 'vitest run',
        soak: 'vitest run --config vitest.soak.config.ts',
      });
    });
  });
});

function packageScripts(dir: string): Record<string, string> {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
}

/** The demo's three exports: the generic one balances per journal to the cent, over more journals than closes; Xero's and QuickBooks' headers. */
function expectBalancedExports(dir: string): void {
  const generic = readFileSync(join(dir, 'export-generic.csv'), 'utf8').trim().split('\r\n');
  expect(generic[0]).toBe('journal_id,date,account,debit,credit,currency,description,source,source_ref');
  const netCentsByJournal = new Map<string, bigint>();
  for (const row of generic.slice(1)) {
    const [journal, , , debit, credit] = row.split(',');
    const cents = (text: string | undefined) => (text ? BigInt(text.replace('.', '')) : 0n);
    netCentsByJournal.set(journal!, (netCentsByJournal.get(journal!) ?? 0n) + cents(debit) - cents(credit));
  }
  expect(netCentsByJournal.size).toBeGreaterThan(35);
  expect([...netCentsByJournal.values()].every((net) => net === 0n)).toBe(true);
  expect(readFileSync(join(dir, 'export-xero.csv'), 'utf8')).toMatch(/^\*Narration,\*Date,/);
  expect(readFileSync(join(dir, 'export-quickbooks.csv'), 'utf8')).toMatch(/^Journal No,Journal Date,/);
}
