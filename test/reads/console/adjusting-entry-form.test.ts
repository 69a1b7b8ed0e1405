import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, SECRETS } from '../../cli/post-cli-harness.js';
import { FINDING, useAdjustingWorlds } from '../../support/adjusting-world.js';
import {
  answering,
  ARTIFACTS,
  CHROMIUM,
  freePort,
  hasChromium,
  chromiumContext,
} from '../../support/console-in-chromium.js';
import { runLedgerlineInProcess } from '../../support/cli.js';
import { useTempDir } from '../../support/temp-dir.js';

if (!hasChromium) console.warn(`console adjusting entry browser test skipped: ${CHROMIUM} is absent (CI installs it)`);
const tempDir = useTempDir('ledgerline-console-adjust-');
const adjustingWorld = useAdjustingWorlds();
const ENTRY = 'je:adjustment:2024-02-10:1';

let context: BrowserContext | undefined;
afterAll(async () => context?.close());

describe.skipIf(!hasChromium)("the console's adjusting entry form, in Chromium", { timeout: 120_000 }, () => {
  it('books an entry explaining the suspense finding (refused first in a locked period), which post delivers to Xero and QuickBooks', async () => {
    const world = await adjustingWorld(tempDir());
    const port = await freePort();
    const stop = new AbortController();
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...SECRETS };
    const serving = runLedgerlineInProcess(['serve', '--port', String(port), '--config', world.config], {
      cwd: world.dir,
      env,
      timeoutMs: 110_000,
      stopSignal: stop.signal,
    });
    const url = `http://127.0.0.1:${port}/`;
    try {
      await answering(url, serving);
      context = await chromiumContext({ viewport: { width: 1200, height: 900 } });
      const tab = await context.newPage();
      const fill = async (date: string) => {
        await tab.goto(`${url}?from=2024-02-01&to=2024-02-29`);
        const form = tab.locator('form.adjust');
        await form.locator('input[name="date"]').fill(date);
        await form.locator('select[name="debitAccount"]').selectOption('smm_services_expense');
        await form.locator('input[name="debitAmount"]').fill('28.71');
        await form.locator('select[name="creditAccount"]').selectOption('suspense');
        await form.locator('input[name="creditAmount"]').fill('28.71');
        await form.locator('input[name="reason"]').fill('orders placed by hand on the panel');
        await form.locator('select[name="explains"]').selectOption(FINDING);
        await form.locator('button[type="submit"]').click();
        await tab.waitForLoadState();
      };

      world.xero.fake.setLockDates({ periodLockDate: '2024-02-15' });
      await fill('2024-02-10');
      expect(await tab.locator('p').first().textContent()).toBe(
        'Xero: an adjusting entry dated 2024-02-10 falls in a closed period (books locked through 2024-02-15); nothing was booked: date it after 2024-02-15 with --date, or ask your accountant to move the lock date',
      );
      world.xero.fake.setLockDates({ periodLockDate: null });

      await fill('2024-02-10');
      expect(await tab.locator('.notice').textContent()).toBe(`Booked adjusting entry ${ENTRY}, explaining ${FINDING}`);
      const row = await tab.locator('#adjusting-entries tbody tr').first().locator('td').allTextContents();
      expect([row[0], row[1], row[2], row[5], row[6]]).toEqual([
        '2024-02-10',
        ENTRY,
        'orders placed by hand on the panel',
        FINDING,
        'not needed',
      ]);
      expect(await tab.locator(`#acknowledged li[data-item="${FINDING}"] .note`).textContent()).toBe(
        `explained by adjusting entry ${ENTRY}: orders placed by hand on the panel`,
      );
      mkdirSync(ARTIFACTS, { recursive: true });
      // Below the console's sticky bar: the notice, the section's heading and its row in one picture.
      await tab.evaluate(
        "window.scrollTo(0, document.querySelector('#adjustments').getBoundingClientRect().top + window.scrollY - 110)",
      );
      await tab.screenshot({ path: resolve(ARTIFACTS, 'console-adjusting-entry.png') });
    } finally {
      stop.abort();
      expect((await serving).code).toBe(0);
    }

    for (const [to, name] of [
      ['xero', 'Xero'],
      ['quickbooks', 'QuickBooks'],
    ] as const) {
      const posted = await runCli(['post', to, '--config', world.config], { cwd: world.dir });
      expect(posted.stdout).toMatch(new RegExp(`^${name}: 1 posted, 0 refused`));
    }
    // The narration names the entry's chain hash before its id (issue 52): the ledger's witness at Xero.
    expect(world.xero.fake.journals().map((journal) => journal.narration)).toEqual([
      expect.stringMatching(
        new RegExp(`^Adjusting entry: orders placed by hand on the panel · chain sha256:[0-9a-f]{64} \\[${ENTRY}\\]$`),
      ),
    ]);
  });
});
