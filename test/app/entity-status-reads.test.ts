import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ENVIRONMENT, startSandboxFleet, type RunningFleet } from '../../sandbox/index.js';
import { ExceptionQueueSchema, FleetViewSchema } from '../../src/reads/index.js';
import { runLedgerline } from '../support/cli.js';
import { parsePrometheusText } from '../support/prometheus-text.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-entity-status-reads-');
const env = { ...SANDBOX_ENVIRONMENT };

/**
 * A source's last result is its part of the latest sync that took it, not the latest run's: after the night (panel-03
 * failing with 502s), a person re-syncs one other panel (`sync --source panel-01`, as the queue's next step writes
 * it), and the failing panel must still read failing in `status --fleet`, the exception queue and `metrics`, not
 * "not synced" beside every other source of the books.
 */
describe("the fleet's last result per source, after a one-source sync", { timeout: 120_000 }, () => {
  let fleet: RunningFleet | undefined;
  let dir = '';
  const run = (args: readonly string[]) => runLedgerline(args, { cwd: dir, env });

  beforeAll(async () => {
    dir = tempDir();
    ({ fleet } = await startSandboxFleet({
      panels: 3,
      publishers: 1,
      port: 0,
      chart: 'full',
      dir,
      today: '2026-03-02',
    }));
    expect((await run(['sync'])).code).toBe(3);
    fleet.lead.advanceDays(1);
    const one = await run(['sync', '--source', 'panel-01']);
    expect(one.code, one.stderr).toBeLessThan(2);
  }, 90_000);
  afterAll(() => fleet?.close());

  it('keeps the failing panel failing and every other source ok, in status --fleet, the queue and metrics', async () => {
    const rows = FleetViewSchema.parse(JSON.parse((await run(['status', '--fleet', '--json'])).stdout));
    expect(Object.fromEntries(rows.map((row) => [row.source, row.lastResult]))).toEqual({
      'panel-01': 'ok',
      'panel-02': 'ok',
      'panel-03': 'failing',
      'publisher-01': 'ok',
    });
    expect(rows.find((row) => row.source === 'panel-03')?.reason).toContain('HTTP 502');

    const queue = ExceptionQueueSchema.parse(JSON.parse((await run(['status', '--exceptions', '--json'])).stdout));
    expect(queue.filter((item) => item.kind === 'failing').map((item) => item.subject)).toEqual(['panel-03']);

    const samples =
      parsePrometheusText((await run(['metrics'])).stdout).get('ledgerline_source_last_sync_ok')?.samples ?? [];
    expect(Object.fromEntries(samples.map((sample) => [sample.labels.source, sample.value]))).toEqual({
      'panel-01': 1,
      'panel-02': 1,
      'panel-03': 0,
      'publisher-01': 1,
    });
  });
});
