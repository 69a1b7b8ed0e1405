import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from './support/temp-dir.js';

/**
 * The README's top promises two commands that work on a fresh checkout. This
 * copies the repository (its tracked files, as a clone has them) to a temp
 * folder and runs exactly the commands the README shows. The inner `npm test`
 * runs with LEDGERLINE_README_CHECK=1, which vitest.config.ts reads to run
 * only the architecture rules and the pure core there: no recursion, and no
 * second run of what the outer run has just covered.
 */
const INNER_RUN = 'LEDGERLINE_README_CHECK';
const root = resolve(import.meta.dirname, '..');
const tempDir = useTempDir('ledgerline-readme-');

export function readmeCommands(readme: string): string[] {
  const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line.length > 0);
}

function shell(command: string, cwd: string, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn('sh', ['-c', command], { cwd, env: { ...process.env, [INNER_RUN]: '1', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
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
    expect(readmeCommands(readFileSync(join(root, 'README.md'), 'utf8'))).toEqual(['npm install && npm run demo', 'npm test']);
  });

  it('both commands work on a copy of the repository', { timeout: 900_000 }, async () => {
    const copy = tempDir();
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const file of tracked) {
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      copyFileSync(join(root, file), join(copy, file));
    }
    // The installed packages are hard-linked in, so `npm install` checks them instead of compiling better-sqlite3 again.
    execFileSync('cp', ['-al', join(root, 'node_modules'), join(copy, 'node_modules')]);
    const [runDemo, runTests] = readmeCommands(readFileSync(join(copy, 'README.md'), 'utf8'));

    const demo = await shell(runDemo!, copy, 300_000);
    expect(demo.code, demo.output.slice(-3000)).toBe(0);
    expect(demo.output).toMatch(/panel balance at the last close: sandbox (\S+), ledger panel_prepaid \1/);

    const tests = await shell(runTests!, copy, 840_000);
    expect(tests.code, tests.output.slice(-3000)).toBe(0);
    // vitest colours its summary even when piped.
    expect(tests.output.replace(/\u001b\[[0-9;]*m/g, '')).toMatch(/Tests\s+\d+ passed/);
  });
});
