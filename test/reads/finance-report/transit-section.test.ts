import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { sandboxBankStatement } from '../../../sandbox/bank/bank-statement-plan.js';
import { csvStatementText } from '../../../sandbox/bank/statement-writers.js';
import { MONTH_END } from '../../scenarios/month-end-world.js';
import { builtWorld } from '../../support/built-worlds.js';
import { bankStatementWorkspace } from '../../support/bank-statement-workspace.js';
import { runLedgerlineInProcess } from '../../support/cli.js';
import {
  answering,
  ARTIFACTS,
  CHROMIUM,
  freePort,
  hasChromium,
  chromiumContext,
} from '../../support/console-in-chromium.js';
import { useTempDir } from '../../support/temp-dir.js';

if (!hasChromium) console.warn(`console money-in-transit browser test skipped: ${CHROMIUM} is absent (CI installs it)`);
const tempDir = useTempDir('ledgerline-console-transit-');

/**
 * The month-end world (test/scenarios/month-end-world.ts) after 04-30: the ad network paid out 55.00 on 03-31,
 * the panel saw top-ups of 100.00 on 03-25 and 40.50 on 04-08. The bank's statement (sandbox/bank) holds only
 * the top-ups' side: the first paid by card on 03-26, the second never; the payout never arrived. By hand, as
 * of 04-30 (the window's end): top-up 03-25 matched (age 36), payout 03-31 late (age 30), top-up 04-08 late (22).
 */
const PAYOUT = 'payelancer:ads-publisher:payout:2026-03-31';
const FIRST_TOPUP = 'panel:smm-panel:topup:2026-03-25';
const SECOND_TOPUP = 'panel:smm-panel:topup:2026-04-08';
const STATEMENT = sandboxBankStatement(
  [
    { id: FIRST_TOPUP, kind: 'topup', amountMicros: 100_000_000n, currency: 'USD', sentOn: '2026-03-25' },
    { id: SECOND_TOPUP, kind: 'topup', amountMicros: 40_500_000n, currency: 'USD', sentOn: '2026-04-08' },
  ],
  { account: 'US-OPERATING', currency: 'USD', from: '2026-03-01', to: '2026-04-30' },
);
let context: BrowserContext | undefined;
afterAll(async () => context?.close());

describe.skipIf(!hasChromium)("the console's money in transit, in Chromium", { timeout: 60_000 }, () => {
  it('lists each payout and top-up oldest first with its state and age, the late ones marked and the matched one with its bank line', async () => {
    const dir = await bankStatementWorkspace(
      tempDir(),
      (await builtWorld(MONTH_END)).ledgerAfter('2026-04-30'),
      'april.csv',
      csvStatementText(STATEMENT),
    );

    const port = await freePort();
    const stop = new AbortController();
    const serving = runLedgerlineInProcess(['serve', '--port', String(port)], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      timeoutMs: 55_000,
      stopSignal: stop.signal,
    });
    const url = `http://127.0.0.1:${port}/`;
    try {
      await answering(url, serving);
      context = await chromiumContext({ viewport: { width: 1200, height: 900 } });
      const tab = await context.newPage();
      await tab.goto(`${url}?from=2026-04-01&to=2026-04-30`);
      const rows = tab.locator('#transit-items tbody tr');
      const shown = await rows.evaluateAll((trs) =>
        trs.map((tr) => [
          tr.getAttribute('data-item'),
          tr.getAttribute('data-state'),
          tr.querySelector('td.mark')?.textContent ?? '',
          tr.children[7]?.textContent,
        ]),
      );
      expect(shown).toEqual([
        [FIRST_TOPUP, 'matched', '', '36'],
        [PAYOUT, 'late', '! late', '30'],
        [SECOND_TOPUP, 'late', '! late', '22'],
      ]);
      const bankLine = STATEMENT.lines.find((line) => line.bookedOn === '2026-03-26')!.id;
      expect(await rows.first().locator('td').last().textContent()).toBe(
        `bank line operating:${bankLine}: (100.00) on 2026-03-26`,
      );
      expect(await tab.locator('#money-in-transit h2 .count').textContent()).toBe('2');
      mkdirSync(ARTIFACTS, { recursive: true });
      // Below the console's sticky bar: the section's heading and its rows in one picture.
      await tab.evaluate(
        "window.scrollTo(0, document.querySelector('#money-in-transit').getBoundingClientRect().top + window.scrollY - 110)",
      );
      await tab.screenshot({ path: resolve(ARTIFACTS, 'console-money-in-transit.png') });
    } finally {
      stop.abort();
      expect((await serving).code).toBe(0);
    }
  });
});
