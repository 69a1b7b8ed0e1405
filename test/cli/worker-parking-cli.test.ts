import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ENVIRONMENT, startSandboxFleet, type RunningFleet } from '../../sandbox/index.js';
import { FleetViewSchema } from '../../src/reads/index.js';
import { startWorkerInProcess, until, type WorkerInProcess } from '../scenarios/queued-workers.js';
import { runLedgerline } from '../support/cli.js';
import { fastForwardClock } from '../support/fast-forward-clock.js';
import { usePostgresServer } from '../support/postgres-server.js';
import { useTempDir } from '../support/temp-dir.js';

const { freshDatabase } = usePostgresServer();
const tempDir = useTempDir('ledgerline-worker-parking-');
const DAY = '2026-03-04';

/** A worker's log lines (JSON, one a line). */
function logLines(worker: WorkerInProcess): { time: string; message: string; sourceId?: string }[] {
  return worker
    .stderr()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { time: string; message: string; sourceId?: string });
}

describe('sync --queue over a fleet with a failing panel, two workers, PostgreSQL', { timeout: 240_000 }, () => {
  let fleet: RunningFleet | undefined;
  let dir = '';
  const env = { ...SANDBOX_ENVIRONMENT };
  const run = (args: readonly string[]) => runLedgerline(args, { cwd: dir, env, timeoutMs: 200_000 });

  beforeAll(async () => {
    dir = tempDir();
    fleet = (await startSandboxFleet({ panels: 3, publishers: 2, port: 0, chart: 'full', dir, today: DAY })).fleet;
    const path = join(dir, 'ledgerline.yaml');
    const document = parseDocument(readFileSync(path, 'utf8'));
    document.set('ledger', await freshDatabase());
    writeFileSync(path, document.toString());
  }, 90_000);
  afterAll(() => fleet?.close());

  it('parks the failing panel with its reason after its retries, books every other source meanwhile, and a manual sync unparks it', async () => {
    const workspace = { dir, env };
    // In this process: the queue's order and its parking are the subject, not the workers' processes. One
    // fast-forward clock for both, so the failing panel's backoff costs no seconds and their log times stay in order.
    const clock = fastForwardClock();
    const workers = [
      startWorkerInProcess(workspace, ['--concurrency', '2'], undefined, clock),
      startWorkerInProcess(workspace, ['--concurrency', '2'], undefined, clock),
    ];
    try {
      const night = await run([
        'sync',
        '--queue',
        '--as-of',
        DAY,
        '--retries',
        '1',
        '--retry-delay',
        '1',
        '--queue-wait',
        '60',
      ]);
      expect(night.code, night.stderr).toBe(3);
      expect(night.stdout).toMatch(/panel-03.*parked: panel-03: balance: HTTP 502 after 5 attempts/s);
      await until(() => workers.some((worker) => worker.stderr().includes('parked panel-03')), 'the park');

      // Order of completion: every other source was booked before the failing panel's second try began.
      const lines = workers.flatMap(logLines);
      const panelTries = lines
        .filter((line) => line.sourceId === 'panel-03' && line.message.startsWith('taking the close'))
        .map((line) => line.time)
        .sort();
      expect(panelTries).toHaveLength(2);
      for (const source of ['panel-01', 'panel-02', 'publisher-01', 'publisher-02']) {
        const booked = lines.find((line) => line.sourceId === source && line.message.startsWith('booked'));
        expect(booked?.time, source).toBeDefined();
        expect(booked!.time < panelTries[1]!, `${source} booked before panel-03's retry`).toBe(true);
      }

      const view = FleetViewSchema.parse(JSON.parse((await run(['status', '--fleet', '--json'])).stdout));
      expect(view.map((row) => [row.source, row.lastResult, row.parked])).toEqual([
        ['panel-03', 'failing', 'panel-03: balance: HTTP 502 after 5 attempts'],
        ['panel-01', 'ok', undefined],
        ['panel-02', 'ok', undefined],
        ['publisher-01', 'ok', undefined],
        ['publisher-02', 'ok', undefined],
      ]);
      expect((await run(['status'])).stdout).toContain('panel-03 parked: panel-03: balance: HTTP 502');

      // A parked source is left out of the next queued night: reported failed at once, with its reason.
      const again = await run(['sync', '--queue', '--as-of', DAY, '--source', 'panel-03']);
      expect(again.code).toBe(3);
      expect(again.stderr).toContain('panel-03 is parked since its close of 2026-03-04 failed in every try');
      expect(again.stdout).toContain('parked: panel-03: balance');

      // The panel answers again: a manual close of it books, and unparks it.
      fleet!.members[2]!.injectFaults({ service: 'panel', clear: true });
      const manual = await run(['sync', '--as-of', DAY, '--source', 'panel-03']);
      expect(manual.code, manual.stderr).toBeLessThan(2);
      const after = FleetViewSchema.parse(JSON.parse((await run(['status', '--fleet', '--json'])).stdout));
      expect(after.find((row) => row.source === 'panel-03')?.parked).toBeUndefined();
    } finally {
      for (const worker of workers) worker.stop();
    }
    for (const worker of workers) expect((await worker.ended).code).toBe(0);
  });
});
