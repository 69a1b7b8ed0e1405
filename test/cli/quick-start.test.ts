import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUG_REPORT } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * The README's sandbox quick start, run line by line as a new user would type it, in a folder beside
 * the built CLI. The one change: the sandbox's port 8787 becomes a free one, so a sandbox a developer
 * keeps running does not collide with the test.
 */
const root = resolve(import.meta.dirname, '../..');
const tempDir = useTempDir('ledgerline-quick-start-');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

export function quickStartLines(readme: string): string[] {
  const section = readme.slice(readme.indexOf('## Quick start on the sandbox'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line.length > 0);
}

function freePort(): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

function shell(script: string, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun) => {
    const child = spawn('bash', ['-c', script], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, output });
    });
  });
}

describe('the README sandbox quick start', () => {
  it('runs as written: two sandbox days synced with fresh orders, an export, and a clean reconcile', async () => {
    const lines = quickStartLines(readFileSync(join(root, 'README.md'), 'utf8'));
    expect(lines[0]).toBe('npm install && npm run build');
    const sandboxLine = lines.find((line) => / sandbox$/.test(line));
    expect(sandboxLine).toBe('node dist/src/cli/main.js sandbox');

    const dir = tempDir();
    symlinkSync(join(root, 'dist'), join(dir, 'dist'));
    const port = await freePort();
    const onPort = (line: string) => line.replaceAll('127.0.0.1:8787', `127.0.0.1:${port}`);

    const sandbox = spawn('bash', ['-c', `${sandboxLine} --port ${port}`], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(sandbox);
    await new Promise<void>((ready, failed) => {
      let said = '';
      sandbox.stdout!.on('data', (chunk: Buffer) => {
        said += chunk.toString();
        if (said.includes('listening on')) ready();
      });
      sandbox.on('close', (code) => failed(new Error(`the sandbox exited with ${code}`)));
    });

    // Everything after "terminal 1", typed into one shell; `set -e` stops at the first failing line.
    const typed = lines
      .slice(lines.indexOf(sandboxLine!) + 1)
      .map((line) => (line.endsWith('main.js init') ? `${line} --sandbox-url http://127.0.0.1:${port}` : onPort(line)));
    const run = await shell(
      ['set -e', ...typed.map((line) => `${line}\necho "[exit $? after: ${line.replaceAll('"', "'")}]"`)].join('\n'),
      dir,
    );
    expect(run.output).not.toContain(BUG_REPORT);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('sync as of 2026-03-01');
    expect(run.output).toContain('sync as of 2026-03-02');
    expect(run.output).toContain('je:smm-panel:2026-03-01,2026-03-01,panel_prepaid,100.19,,USD');
    expect(run.output).toMatch(/reconcile as of \d{4}-\d{2}-\d{2}: clean, nothing to look at/);
    expect(run.output).not.toMatch(/suspense/);
  });
});
