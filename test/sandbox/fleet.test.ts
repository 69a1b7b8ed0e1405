import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ENVIRONMENT, startSandboxFleet, type RunningFleet } from '../../sandbox/index.js';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

interface SourceRow {
  source: string;
  kind: string;
  status: string;
  detail: string;
}

const tempDir = useTempDir('ledgerline-fleet-');

describe('ledgerline sandbox --panels 30 --publishers 10: a fleet and its sources.csv', { timeout: 120_000 }, () => {
  let fleet: RunningFleet | undefined;
  let dir = '';
  beforeAll(async () => {
    dir = tempDir();
    const started = await startSandboxFleet({ panels: 30, publishers: 10, port: 0, chart: 'full', dir, seed: 11 });
    fleet = started.fleet;
  }, 60_000);
  afterAll(() => fleet?.close());

  it('writes a sources.csv the configuration reads, and every source answers but the failing panel, with its 502', async () => {
    const csv = readFileSync(join(dir, 'sources.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe(
      '# written by ledgerline sandbox --panels --publishers; not steady: panel-05 slow, panel-10 slow, panel-15 slow, panel-20 slow, panel-25 slow, panel-29 silent, panel-30 failing, publisher-05 slow, publisher-10 slow',
    );
    expect(csv.split('\n').filter((line) => /^(panel|publisher)-/.test(line))).toHaveLength(40);
    const run = await runLedgerline(['sources', 'test', '--json'], { cwd: dir, env: { ...SANDBOX_ENVIRONMENT } });
    expect(run.code, run.stderr).toBe(3);
    const rows = JSON.parse(run.stdout) as SourceRow[];
    expect(rows).toHaveLength(40);
    const failed = rows.filter((row) => row.status !== 'pass');
    expect(failed.map((row) => row.source)).toEqual(['panel-30']);
    expect(failed[0]?.detail).toMatch(/502/);
  });

  it("keeps the lead's day on every member, and the silent panel's world books nothing new from its third day", async () => {
    const lead = fleet!.lead;
    const silent = fleet!.members[28]!;
    const steady = fleet!.members[0]!;
    const day = lead.advanceDays(6);
    const answer = await fetch(`${silent.adminUrl}/day`);
    expect(((await answer.json()) as { date: string }).date).toBe(day);
    const orders = (member: typeof lead, date: string) => member.stateOn(date).panel.orders.length;
    expect(orders(silent, '2026-03-07')).toBe(orders(silent, '2026-03-02'));
    expect(orders(steady, '2026-03-07')).toBeGreaterThan(orders(steady, '2026-03-02'));
  });
});
