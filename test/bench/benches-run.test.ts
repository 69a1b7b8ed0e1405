import { execFile } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { useTempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
const benchDir = resolve(import.meta.dirname, '../../bench');
/** The tiny runs that take longest (a fleet's night on workers, queued worker nights, a first import, a proxy in front of a sandbox process) start first. */
const LONGEST = ['fleet-night.bench.mjs', 'queued-sync.bench.mjs', 'orders-import.bench.mjs', 'panel-proxy.bench.mjs'];
const benches = readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.mjs'))
  .sort((a, b) => (LONGEST.includes(b) ? 1 : 0) - (LONGEST.includes(a) ? 1 : 0) || a.localeCompare(b));

/** The run's PostgreSQL cluster, for the `*-postgres` and queue benches: no initdb of their own (bench/support/postgres.mjs). */
const shared = inject('sharedPostgres');
const benchEnv = {
  ...process.env,
  ...(shared === undefined
    ? {}
    : { BENCH_PG_SHARED: JSON.stringify({ port: shared.port, user: shared.user, password: shared.password }) }),
};

/** `node bench/run.mjs --size=tiny FILE`: its exit code and what it printed (the benches read the built dist/). */
async function runTiny(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(benchDir, 'run.mjs'), '--size=tiny', file], {
      env: benchEnv,
      timeout: 170_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : -1,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? '',
    };
  }
}

/**
 * Most tiny runs wait (on their subprocesses, workers polling a queue, replies from a sandbox) more than they
 * compute: two benches run at once (the e2e tier's maxConcurrency), the longest first, so the file takes about
 * half the sum of its benches (226 s at load 15) instead of all of it.
 */
describe('every bench runs at the tiny size and its checks hold', { timeout: 180_000, concurrent: true }, () => {
  it('finds the benches', ({ expect }) => {
    expect(benches).toContain('backfill.bench.mjs');
    expect(benches).toContain('export-vs-sqlite3.bench.mjs');
  });

  it.for(benches)('%s exits 0', async (file, { expect }) => {
    const result = await runTiny(file);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`== ${file}`);
  });
});

describe('a bench whose figure that must be 0 is not 0', () => {
  const tempDir = useTempDir();

  it('exits 1 run directly, naming the figure (NaN counts as not 0)', async () => {
    const script = join(tempDir(), 'failing.bench.mjs');
    const helper = pathToFileURL(join(benchDir, 'support', 'bench-size.mjs')).href;
    writeFileSync(
      script,
      `import { runWhenMain } from '${helper}';\n` +
        `await runWhenMain(import.meta.url, async () => ({ name: 'failing', metrics: { 'entries booked (must be 0)': 0, 'corrections booked (must be 0)': NaN } }));\n`,
    );
    const result = await run(process.execPath, [script]).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('check failed: corrections booked (must be 0): NaN\n');
  });
});
