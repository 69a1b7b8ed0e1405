import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_ENVIRONMENT } from '../../sandbox/destination-fakes.js';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';
import { finished, spawnLedgerline } from '../scenarios/scenario-harness.js';

/**
 * `sandbox --resume DIR` serves the demo's world on the day it was last moved to (issue 69, item 7): a day
 * advanced after the demo, and synced, is where the next resume starts, so the next `sync` goes on from there.
 */
const tempDir = useTempDir('ledgerline-resume-');
const env = { ...SANDBOX_ENVIRONMENT, NO_COLOR: '1' };
const running: ChildProcess[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) {
    const ended = finished(child);
    child.kill('SIGINT');
    await ended;
  }
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `ledgerline sandbox --resume dir`, once it listens; returns its banner. */
async function resume(dir: string): Promise<{ child: ChildProcess; banner: string }> {
  const child = spawnLedgerline(dir, ['sandbox', '--resume', dir], env);
  running.push(child);
  const banner = await new Promise<string>((resolve) => {
    let said = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes('Stop with Ctrl-C')) resolve(said);
    });
  });
  return { child, banner };
}

async function stop(child: ChildProcess): Promise<void> {
  running.splice(running.indexOf(child), 1);
  const ended = finished(child);
  child.kill('SIGINT');
  await ended;
}

describe('sandbox --resume after days advanced', { timeout: 90_000 }, () => {
  it('starts on the day the sandbox was moved to, so the next sync goes on from the books', async () => {
    const dir = tempDir();
    const port = await freePort();
    // What a demo writes at its end (demo-month-end.ts).
    writeFileSync(
      join(dir, 'sandbox.json'),
      JSON.stringify({ seed: 1, start: '2026-03-01', today: '2026-03-05', port }),
    );
    const run = (args: string[]) => runLedgerline(args, { cwd: dir, env });
    const first = await resume(dir);
    expect(first.banner).toContain('today 2026-03-05');
    expect((await run(['init', '--sandbox-url', `http://127.0.0.1:${port}`])).code).toBe(0);
    const synced = await run(['sync']);
    expect(synced.code, synced.stderr).toBe(0);
    const moved = await fetch(`http://127.0.0.1:${port}/__admin/day`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advance: 2 }),
    });
    expect(((await moved.json()) as { date: string }).date).toBe('2026-03-07');
    const advanced = await run(['sync']);
    // Exit 1: the panel's findings (no orders file given), not a refusal.
    expect(advanced.code, advanced.stderr).toBe(1);
    expect(advanced.stdout).toContain('sync as of 2026-03-07');
    await stop(first.child);

    expect(JSON.parse(readFileSync(join(dir, 'sandbox.json'), 'utf8'))).toEqual({
      seed: 1,
      start: '2026-03-01',
      today: '2026-03-07',
      port,
    });
    const second = await resume(dir);
    expect(second.banner).toContain('today 2026-03-07');
    const next = await run(['sync']);
    expect(next.code, next.stderr).not.toBe(2);
    expect(next.stdout).toContain('sync as of 2026-03-07');
  });
});
