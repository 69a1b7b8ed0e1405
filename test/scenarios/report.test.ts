import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIVE_DAYS as DAYS, FIVE_DAYS_ACROSS_MONTH_END as script } from './five-days-across-month-end.js';
import type { SyncedWorld, Workspace } from './scenario-harness.js';
import { copiedSyncedWorld } from '../support/built-worlds.js';
import { ARTIFACTS, CHROMIUM, chromiumContext, hasChromium } from '../support/console-in-chromium.js';
import { balancesOf, expectedStatements, pageStatements } from './statements-on-page.js';

if (!hasChromium) console.warn(`report browser test skipped: ${CHROMIUM} is absent (CI installs it)`);

/** Series colours the page script draws with: a chart "draws" when its series' pixels are on the canvas. */
const SERIES_COLOURS: Record<string, [number, number, number][]> = {
  'panel-balance': [
    [0x1f, 0x5f, 0xa8],
    [0xd9, 0x82, 0x2b],
  ],
  'publisher-receivable': [
    [0x1f, 0x5f, 0xa8],
    [0x6a, 0x1b, 0x9a],
  ],
  'panel-charges': [
    [0xb0, 0x3a, 0x2e],
    [0x2e, 0x7d, 0x32],
  ],
};

/** The little of a canvas the pixel check reads (the tests compile without the DOM's types). */
interface Canvas {
  width: number;
  height: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, width: number, height: number): { data: ArrayLike<number> } } | null;
}

/**
 * `ledgerline report` on the five days across the March month end
 * (five-days-across-month-end.ts), opened offline in real Chromium. The
 * figures are worked by hand from the world:
 *   ads-publisher  earned 30 + 30 + 1 = 61.00, paid out 60.00 on 03-31, receivable 1.00 at the end
 *   ads-advertiser spent 4.25 + 2.75 = 7.00
 *   smm-panel      charged 0.90 (R-2) + 0.04551, refunded 0.14130 (R-2) + 0.04551;
 *                  in cents, rendered on the running total of smm_services_expense (0.90 after 03-30):
 *                  03-31 refund first 0.90 → 0.7587 is −0.14, charge 0.7587 → 0.80421 is +0.04,
 *                  04-01 refund 0.80421 → 0.7587 is −0.04: charged 0.94, refunded 0.18, net 0.76;
 *                  panel_prepaid 98.3413 exact, 98.34 in cents
 *   entries        03-29 panel opening; 03-30 panel, publisher, advertiser; 03-31 panel, publisher;
 *                  04-01 panel; 04-02 publisher, advertiser: 9, none posted yet
 */
describe('ledgerline report on the month-end world', { timeout: 120_000 }, () => {
  let world: SyncedWorld | undefined;
  let workspace: Workspace;
  let context: BrowserContext | undefined;
  let page: string;
  let ackedId: string;

  beforeAll(async () => {
    world = await copiedSyncedWorld(script, 'report', DAYS);
    ({ workspace } = world);
    const reconcile = JSON.parse((await workspace.run(['reconcile', '--as-of', '2026-04-02', '--json'])).stdout) as {
      items: { id: string; kind: string }[];
    };
    ackedId = reconcile.items.find((item) => item.kind === 'balance_rise')!.id;
    const ack = await workspace.run([
      'reconcile',
      'ack',
      ackedId,
      '--note',
      'bank transfer 4471 </script><b>x</b>',
      '--as-of',
      '2026-04-02',
    ]);
    expect(ack.code, ack.stderr).toBe(0);
    const run = await workspace.run(['report', '--out', 'report.html']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('2026-03-29 to 2026-04-02');
    page = join(workspace.dir, 'report.html');
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    await world?.close();
  });

  it('refuses a reversed window, one starting after the last entry, and a folder that does not exist, with exit 2', async () => {
    const run = await workspace.run(['report', '--from', '2026-04-02', '--to', '2026-03-29', '--out', 'reversed.html']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--from 2026-04-02 is after --to 2026-03-29');
    expect(existsSync(join(workspace.dir, 'reversed.html'))).toBe(false);
    const late = await workspace.run(['report', '--from', '2026-05-01', '--out', 'late.html']);
    expect(late.code).toBe(2);
    expect(late.stderr).toContain('--from 2026-05-01 is after the last entry date 2026-04-02');
    const nowhere = await workspace.run(['report', '--out', 'no-such-folder/report.html']);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain('no-such-folder/report.html cannot be written');
  });

  it('is one file with nothing to fetch, and a note cannot end the data script', () => {
    const html = readFileSync(page, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link\b|<img\b|<iframe\b|@import|url\(/i);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(html).toContain('bank transfer 4471 &#60;/script&#62;&#60;b&#62;x&#60;/b&#62;');
  });

  it.skipIf(!hasChromium)(
    `draws every chart offline in Chromium, shows the totals of balances --json, saves a screenshot, and prints the tables in place of the charts (skipped when ${CHROMIUM} is absent)`,
    async () => {
      context = await chromiumContext({ viewport: { width: 1200, height: 900 } });
      const tab = await context.newPage();
      const url = pathToFileURL(page).href;
      const attempted: string[] = [];
      await tab.route('**/*', (route) => {
        if (route.request().url() === url) return route.continue();
        attempted.push(route.request().url());
        return route.abort();
      });
      const errors: string[] = [];
      tab.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      tab.on('pageerror', (error) => errors.push(error.message));
      await tab.goto(url);
      await tab.waitForLoadState('load');

      expect(attempted).toEqual([]);
      expect(errors).toEqual([]);

      const charts = await tab.$$eval('figure.chart', (figures) =>
        figures.map((figure) => figure.getAttribute('data-chart')),
      );
      expect(charts).toEqual([
        'panel-balance:smm-panel:USD',
        'publisher-receivable:ads-publisher:USD',
        'panel-charges:smm-panel:USD',
      ]);
      for (const chart of charts) {
        const kind = chart!.split(':')[0]!;
        const found = await tab.$eval(
          `figure[data-chart="${chart}"] canvas`,
          (canvas, colours) => {
            const drawing = canvas as unknown as Canvas;
            const { data } = drawing.getContext('2d')!.getImageData(0, 0, drawing.width, drawing.height);
            return colours.map((colour) => {
              let count = 0;
              for (let at = 0; at < data.length; at += 4) {
                if (
                  data[at + 3]! > 200 &&
                  Math.abs(data[at]! - colour[0]!) < 12 &&
                  Math.abs(data[at + 1]! - colour[1]!) < 12 &&
                  Math.abs(data[at + 2]! - colour[2]!) < 12
                )
                  count += 1;
              }
              return count;
            });
          },
          SERIES_COLOURS[kind]!,
        );
        expect(
          found.every((count) => count > 10),
          `${chart}: pixels of each series ${found.join(', ')}`,
        ).toBe(true);
      }

      const statements = await pageStatements(tab);
      const window = await balancesOf(workspace, ['--from', '2026-03-29', '--to', '2026-04-02']);
      const atEnd = await balancesOf(workspace, ['--as-of', '2026-04-02']);
      expect(statements).toEqual(expectedStatements(window, atEnd));
      // Worked by hand (see above): revenue 61.00; advertising 7.00 and SMM services 0.76; profit 53.24; the panel holds 98.34.
      expect(statements.profitAndLoss).toMatchObject({ revenue: [['ad_revenue', '61.00']], netResult: '53.24' });
      expect(statements.trialBalance).toContainEqual(['panel_prepaid', '98.34', '']);
      expect(await tab.$eval('[data-figure="net-result"] .value', (cell) => cell.textContent)).toBe('53.24');
      expect(await tab.$eval('[data-figure="ties"] .value', (cell) => cell.textContent)).toBe('ties');
      expect(await tab.$eval('tr[data-account="ad_revenue"] th', (cell) => cell.textContent)).toBe(
        'Advertising revenue ad_revenue',
      );

      const summary = await tab.$$eval('#source-summary tbody tr', (rows) =>
        rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent)),
      );
      expect(summary).toEqual([
        ['ads-advertiser', 'USD', '0.00', '7.00', '0.00', '0.00'],
        ['ads-publisher', 'USD', '61.00', '0.00', '0.00', '60.00'],
        ['smm-panel', 'USD', '0.00', '0.94', '0.18', '0.00'],
      ]);

      const deliveries = await tab.$$eval('#deliveries tbody tr', (rows) =>
        rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent)),
      );
      expect(deliveries).toEqual([
        ['xero', '0', '9', '0', '0'],
        ['quickbooks', '0', '9', '0', '0'],
      ]);

      const acked = await tab.$eval(`li[data-item="${ackedId}"]`, (item) => ({
        group: item.closest('[data-group]')!.getAttribute('data-group'),
        history: [...item.querySelectorAll('ol.history li')].map((word) => word.textContent),
      }));
      expect(acked.group).toBe('acknowledged');
      expect(acked.history).toEqual([
        expect.stringMatching(/^Acknowledged by .+ at .+: bank transfer 4471 <\/script><b>x<\/b>$/),
      ]);
      const groups = await tab.$$eval('.finding-group', (found) =>
        found.map((group) => [group.getAttribute('data-group'), group.querySelectorAll('ul.findings > li').length]),
      );
      // The computed refund of 03-31 is explained by ledgerline; the top-up was acknowledged; nothing else is open on these days.
      expect(groups).toEqual([
        ['needs-person', 0],
        ['explained', 1],
        ['acknowledged', 1],
      ]);

      mkdirSync(ARTIFACTS, { recursive: true });
      await tab.screenshot({ path: join(ARTIFACTS, 'report-month-end.png'), fullPage: true });

      // On paper each chart gives way to its table.
      await tab.emulateMedia({ media: 'print' });
      const printed = await tab.$$eval('figure.chart', (figures) =>
        figures.map((figure) => [
          figure.querySelector('.plot')!.getBoundingClientRect().height,
          figure.querySelector('.chart-table table')!.getBoundingClientRect().height > 50,
        ]),
      );
      expect(printed).toEqual([
        [0, true],
        [0, true],
        [0, true],
      ]);
    },
  );
});
