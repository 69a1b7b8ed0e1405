import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_DESTINATION_CREDENTIALS } from '../../sandbox/destination-fakes.js';
import { BUG_REPORT } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';
import { answerConsent, deliverCallback } from './connect-harness.js';

/**
 * The README's "Rehearse it on the sandbox" block of the going-live guide, run
 * line by line from a fresh folder as a new user would type it. The one step a
 * person does in the browser (the consent page) is answered over HTTP; the
 * sandbox's port becomes a free one and connect's listener takes any free port.
 */
const root = resolve(import.meta.dirname, '../..');
const tempDir = useTempDir('ledgerline-going-live-');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function rehearsalLines(readme: string): string[] {
  const section = readme.slice(readme.indexOf('### Rehearse it on the sandbox'));
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

/** Runs a script in bash; `onOutput` sees what it says as it says it. */
function shell(
  script: string,
  cwd: string,
  onOutput: (said: string) => void = () => undefined,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun) => {
    const child = spawn('bash', ['-c', script], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    const hear = (chunk: Buffer) => {
      output += chunk.toString();
      onOutput(output);
    };
    child.stdout.on('data', hear);
    child.stderr.on('data', hear);
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, output });
    });
  });
}

describe('the README going-live guide, rehearsed on the sandbox', () => {
  it('init, sync, connect xero through the consent page, doctor, post --dry-run, post and status run in order from a fresh folder', async () => {
    const lines = rehearsalLines(readFileSync(join(root, 'README.md'), 'utf8'));
    expect(lines[0]).toBe('node dist/src/cli/main.js sandbox');
    const connectAt = lines.findIndex((line) => line.includes(' connect xero'));
    expect(connectAt).toBeGreaterThan(0);

    const dir = tempDir();
    symlinkSync(join(root, 'dist'), join(dir, 'dist'));
    const port = await freePort();
    const sandbox = spawn('bash', ['-c', `${lines[0]} --port ${port}`], {
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

    const typed = lines.map((line) =>
      line.endsWith('main.js init')
        ? `${line} --sandbox-url http://127.0.0.1:${port}`
        : line.replaceAll('127.0.0.1:8787', `127.0.0.1:${port}`),
    );
    const setup = typed.filter(
      (line) => line.startsWith('cd ') || line.startsWith('mkdir ') || line.startsWith('export '),
    );
    const script = (steps: readonly string[]) =>
      ['set -e', ...steps.map((line) => `${line}\necho "[exit $? after: ${line.replaceAll('"', "'")}]"`)].join('\n');

    const before = await shell(script(typed.slice(1, connectAt)), dir);
    expect(before.code, before.output).toBe(0);

    // connect waits for the consent: the test plays the person at the browser.
    let printed: (url: string) => void = () => undefined;
    const url = new Promise<string>((found) => (printed = found));
    const replay = setup.map((line) => line.replace('mkdir live && ', ''));
    const connecting = shell(script([...replay, `${typed[connectAt]} --port 0`]), dir, (said) => {
      const match = /^(http:\/\/\S+\/identity\/connect\/authorize\?\S+)$/m.exec(said);
      if (match?.[1]) printed(match[1]);
    });
    const location = await answerConsent(await url, 'allow', [SANDBOX_DESTINATION_CREDENTIALS.xero.tenantId], 'tenant');
    expect(await deliverCallback(location)).toBe(200);
    const connected = await connecting;
    expect(connected.code, connected.output).toBe(0);
    expect(connected.output).toContain('connected: Xero organisation "Ledgerline Sandbox Ltd"');
    expect(statSync(join(dir, 'live', 'data', '.ledgerline-tokens.json')).mode & 0o777).toBe(0o600);

    const after = await shell(script([...replay, ...typed.slice(connectAt + 1)]), dir);
    expect(after.output).not.toContain(BUG_REPORT);
    expect(after.code, after.output).toBe(0);
    expect(after.output).toMatch(/authorization\n {2}✓ xero: Ledgerline Sandbox Ltd; refresh token rotated/);
    expect(after.output).toContain('tokens: xero (Ledgerline Sandbox Ltd) refresh token expires');
  });
});
