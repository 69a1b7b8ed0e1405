import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ENVIRONMENT, startSandboxFleet, type RunningFleet } from '../../sandbox/index.js';
import { FleetViewSchema } from '../../src/reads/index.js';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-status-fleet-');

describe('ledgerline status --fleet: one line per source, the most in need first', { timeout: 120_000 }, () => {
  let fleet: RunningFleet | undefined;
  let dir = '';
  beforeAll(async () => {
    dir = tempDir();
    const started = await startSandboxFleet({
      panels: 3,
      publishers: 2,
      port: 0,
      chart: 'full',
      dir,
      today: '2026-03-04',
    });
    fleet = started.fleet;
  }, 60_000);
  afterAll(() => fleet?.close());

  it('after a night where one panel answered 502: that panel first, failing with its reason; the others ok and up to date', async () => {
    const env = { ...SANDBOX_ENVIRONMENT };
    const sync = await runLedgerline(['sync'], { cwd: dir, env });
    expect(sync.code, sync.stderr).toBe(3);
    const run = await runLedgerline(['status', '--fleet', '--json'], { cwd: dir, env });
    expect(run.code, run.stderr).toBe(0);
    const rows = FleetViewSchema.parse(JSON.parse(run.stdout));
    expect(rows.map((row) => [row.source, row.lastResult, row.lagDays])).toEqual([
      ['panel-03', 'failing', null],
      ['panel-01', 'ok', 0],
      ['panel-02', 'ok', 0],
      ['publisher-01', 'ok', 0],
      ['publisher-02', 'ok', 0],
    ]);
    expect(rows[0]?.reason).toMatch(/502/);
    expect(rows.every((row) => row.lastResult === 'failing' || row.reason === undefined)).toBe(true);
    const table = await runLedgerline(['status', '--fleet'], { cwd: dir, env });
    expect(table.stdout.split('\n')[0]).toMatch(
      /^source +kind +last success +lag +last result +open +in transit +silent +calls today +token$/,
    );
    expect(table.stdout).toContain('5 sources, 1 failing');
  });

  it("after posts to Xero and QuickBooks: each row carries its organisations' calls today and token days; --sort orders the lines", async () => {
    const env = { ...SANDBOX_ENVIRONMENT };
    for (const destination of ['xero', 'quickbooks']) {
      const post = await runLedgerline(['post', destination], { cwd: dir, env });
      expect(post.code, post.stderr).toBe(0);
    }
    const run = await runLedgerline(['status', '--fleet', '--json', '--sort', 'source'], { cwd: dir, env });
    expect(run.code, run.stderr).toBe(0);
    const rows = FleetViewSchema.parse(JSON.parse(run.stdout));
    expect(rows.map((row) => row.source)).toEqual(['panel-01', 'panel-02', 'panel-03', 'publisher-01', 'publisher-02']);
    const [xero, quickbooks] = rows[0]!.organisations;
    // Xero counts its calls per organisation and UTC day, and says itself how many are left of its 5,000.
    expect(xero).toMatchObject({ destination: 'xero', organisation: SANDBOX_ENVIRONMENT.XERO_TENANT_ID });
    expect(xero!.callsToday).toBeGreaterThan(0);
    expect(xero!.callsLeftToday).toBe(5000 - xero!.callsToday);
    // A custom connection has no refresh token to expire; QuickBooks' refreshed one has about 100 days.
    expect(xero!.tokenDaysLeft).toBeNull();
    expect(quickbooks).toMatchObject({ destination: 'quickbooks', callsToday: 0, callsLeftToday: null });
    expect(quickbooks!.tokenDaysLeft).toBeGreaterThanOrEqual(99);
    expect(rows.every((row) => JSON.stringify(row.organisations) === JSON.stringify(rows[0]!.organisations))).toBe(
      true,
    );
    const table = await runLedgerline(['status', '--fleet', '--sort', 'lag'], { cwd: dir, env });
    expect(table.stdout.split('\n')[0]).toMatch(/ +silent +calls today +token$/);
    expect(table.stdout).toMatch(
      new RegExp(
        `^panel-01 .* xero ${xero!.callsToday} \\(${xero!.callsLeftToday} left\\), quickbooks 0 +quickbooks \\d+d$`,
        'm',
      ),
    );
    const refused = await runLedgerline(['status', '--sort', 'lag'], { cwd: dir, env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--sort orders the lines of --fleet');
  });
});
