import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ENVIRONMENT, startSandboxFleet, type RunningFleet } from '../../sandbox/index.js';
import { FleetViewSchema } from '../../src/reads/index.js';
import { money } from '../../src/reads/finance-report/html.js';
import { runLedgerline } from '../support/cli.js';
import { fastForwardClock } from '../support/fast-forward-clock.js';
import { ARTIFACTS, hasChromium, chromiumContext } from '../support/console-in-chromium.js';
import { serveInProcess } from '../support/serve-in-process.js';
import { useTempDir } from '../support/temp-dir.js';

type FleetRows = ReturnType<typeof FleetViewSchema.parse>;

/** The fleet table's rows of a page, each row's cells as text (tags dropped, character references read). */
function fleetTableOf(html: string): string[][] {
  const table = /<table id="fleet-table">([\s\S]*?)<\/table>/.exec(html)?.[1];
  if (table === undefined) throw new Error('the page has no fleet table');
  const body = /<tbody>([\s\S]*)<\/tbody>/.exec(table)![1]!;
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
      cell[1]!.replace(/<[^>]+>/g, '').replace(/&#(\d+);/g, (_all, code: string) => String.fromCharCode(Number(code))),
    ),
  );
}

/** What the report and the console write for each row of `status --fleet --json`: one definition, one table. */
function expectedCells(rows: FleetRows): string[][] {
  const each = (row: FleetRows[number], value: (o: FleetRows[number]['organisations'][number]) => number | null) =>
    row.organisations.flatMap((o) => (value(o) === null ? [] : [`${o.destination} ${value(o)}`])).join(', ');
  return rows.map((row) => [
    row.source,
    row.kind,
    row.lastSuccess ?? 'never',
    row.lagDays === null ? '' : String(row.lagDays),
    each(row, (o) => o.callsToday),
    each(row, (o) => o.callsLeftToday),
    String(row.openItems),
    String(row.openOrders),
    Object.entries(row.inTransit)
      .map(([currency, amount]) => `${money(amount)} ${currency}`)
      .join(', '),
    each(row, (o) => o.tokenDaysLeft),
    row.lastResult === 'failing' ? `failing: ${row.reason}` : '',
  ]);
}

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
    const sync = await runLedgerline(['sync'], { cwd: dir, env, clock: fastForwardClock() });
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
      /^source +kind +last success +lag +last result +open +orders +in transit +silent +calls today +token$/,
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

  it("metrics and the report show the same fleet as status --fleet: calls used and left per organisation, the failing panel's mark", async () => {
    const env = { ...SANDBOX_ENVIRONMENT };
    const status = await runLedgerline(['status', '--fleet', '--json'], { cwd: dir, env });
    const rows = FleetViewSchema.parse(JSON.parse(status.stdout));
    const xero = rows[0]!.organisations.find((each) => each.destination === 'xero')!;
    const metrics = await runLedgerline(['metrics'], { cwd: dir, env });
    expect(metrics.code, metrics.stderr).toBe(0);
    // The call_budgets counter of today and Xero's own X-DayLimit-Remaining, labelled with the organisation.
    const labels = `{destination="xero",organisation="${SANDBOX_ENVIRONMENT.XERO_TENANT_ID}"}`;
    expect(metrics.stdout).toContain(`\nledgerline_calls_used_today${labels} ${xero.callsToday}\n`);
    expect(metrics.stdout).toContain(`\nledgerline_calls_left_today${labels} ${5000 - xero.callsToday}\n`);
    expect(metrics.stdout).not.toMatch(/ledgerline_calls_left_today\{destination="quickbooks"/);
    const report = await runLedgerline(['report', '--out', 'fleet-report.html'], { cwd: dir, env });
    expect(report.code, report.stderr).toBe(0);
    const html = readFileSync(join(dir, 'fleet-report.html'), 'utf8');
    expect(fleetTableOf(html)).toEqual(expectedCells(rows));
    expect(html).toContain('5 sources, 1 failing, 0 silent');
    expect(fleetTableOf(html)[0]![10]).toMatch(/^failing: .*502/);
  });

  it.skipIf(!hasChromium)(
    "the console's /fleet page in Chromium: the same rows in the order asked, each order a link",
    async () => {
      const env = { ...SANDBOX_ENVIRONMENT };
      const status = await runLedgerline(['status', '--fleet', '--json', '--sort', 'source'], { cwd: dir, env });
      const rows = FleetViewSchema.parse(JSON.parse(status.stdout));
      const serving = await serveInProcess(['--port', '0'], { cwd: dir, env });
      const context = await chromiumContext();
      try {
        const base = serving.url.replace('0.0.0.0', '127.0.0.1');
        expect((await fetch(new URL('fleet?sort=oldest', base))).status).toBe(400);
        const tab = await context.newPage();
        const answer = await tab.goto(new URL('fleet?sort=source', base).href);
        expect(answer?.status()).toBe(200);
        const cells = await tab.$$eval('#fleet-table tbody tr', (trs) =>
          trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => cell.textContent ?? '')),
        );
        expect(cells).toEqual(expectedCells(rows));
        expect(await tab.textContent('.fleet-sorts strong')).toBe('source');
        expect(await tab.getAttribute('.fleet-sorts a:text-is("lag")', 'href')).toBe('/fleet?sort=lag');
        mkdirSync(ARTIFACTS, { recursive: true });
        await tab.screenshot({ path: join(ARTIFACTS, 'console-fleet.png'), fullPage: true });
      } finally {
        await context.close();
        await serving.stop();
      }
    },
  );
});
