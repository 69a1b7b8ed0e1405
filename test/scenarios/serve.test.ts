import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { writeTables } from '../support/ledger-tables.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIVE_DAYS as DAYS, FIVE_DAYS_ACROSS_MONTH_END as script } from './five-days-across-month-end.js';
import type { SyncedWorld, Workspace } from './scenario-harness.js';
import { serveInProcess, type ServingConsole } from '../support/serve-in-process.js';
import { copiedSyncedWorld } from '../support/built-worlds.js';
import { ARTIFACTS, CHROMIUM, chromiumContext, hasChromium } from '../support/console-in-chromium.js';
import { balancesOf, expectedStatements, pageStatements } from './statements-on-page.js';

if (!hasChromium) console.warn(`serve browser test skipped: ${CHROMIUM} is absent (CI installs it)`);

interface Item {
  id: string;
  kind: string;
  acknowledged: { by: string; at: string; note: string | null } | null;
  history: { action: 'ack' | 'unack'; note: string | null }[];
}

/** `ledgerline serve --port 0` in this process (the console's pages and answers are the subject, not the process). */
function startServe(workspace: Workspace): Promise<ServingConsole> {
  return serveInProcess(['--port', '0'], { cwd: workspace.dir, env: workspace.env });
}

/**
 * `ledgerline serve` over the five days across the March month end, driven in real Chromium: the page's
 * statements against `balances --json`, the top-up of 04-01 acknowledged from the page with a note and seen
 * by `reconcile --json`, forged requests refused, and every request the page makes kept on 127.0.0.1.
 */
describe('ledgerline serve on the month-end world', { timeout: 180_000 }, () => {
  let world: SyncedWorld | undefined;
  let workspace: Workspace;
  let serve: ServingConsole | undefined;
  let context: BrowserContext | undefined;
  let tab: Page;
  const requested: string[] = [];
  const reconcileItems = async (): Promise<Item[]> =>
    (JSON.parse((await workspace.run(['reconcile', '--as-of', '2026-04-02', '--json'])).stdout) as { items: Item[] })
      .items;

  beforeAll(async () => {
    world = await copiedSyncedWorld(script, 'serve', DAYS);
    ({ workspace } = world);
    serve = await startServe(workspace);
    if (!hasChromium) return;
    context = await chromiumContext({ viewport: { width: 1200, height: 900 } });
    tab = await context.newPage();
    // Every request the page makes is recorded; one for anywhere but the console is stopped here.
    await tab.route('**/*', (route) => {
      requested.push(route.request().url());
      return route.request().url().startsWith(serve!.url) ? route.continue() : route.abort();
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await serve?.stop();
    await world?.close();
  });

  it.skipIf(!hasChromium)(
    'shows the trial balance, profit and loss and balance sheet of balances --json for the window asked, its scripts running under a nonce',
    async () => {
      const answer = await tab.goto(`${serve!.url}?from=2026-03-29&to=2026-04-02`);
      const policy = answer!.headers()['content-security-policy']!;
      expect(policy).toMatch(/script-src 'nonce-[\w-]{20,}';/);
      expect(policy).not.toContain('unsafe-inline');
      const window = await balancesOf(workspace, ['--from', '2026-03-29', '--to', '2026-04-02']);
      const atEnd = await balancesOf(workspace, ['--as-of', '2026-04-02']);
      expect(await pageStatements(tab)).toEqual(expectedStatements(window, atEnd));
      expect(await tab.$eval('[data-figure="net-result"] .value', (cell) => cell.textContent)).toBe('53.24');
      expect(await tab.$$eval('figure.chart canvas', (canvases) => canvases.length)).toBe(3);

      // A later window: the P&L of 04-01…04-02 only, its balance sheet carrying the earlier days' result.
      await tab.goto(`${serve!.url}?from=2026-04-01&to=2026-04-02`);
      const later = await balancesOf(workspace, ['--from', '2026-04-01', '--to', '2026-04-02']);
      const statements = await pageStatements(tab);
      expect(statements.profitAndLoss).toEqual(expectedStatements(later, atEnd).profitAndLoss);
      expect(statements.balanceSheet.assets).toEqual(expectedStatements(later, atEnd).balanceSheet.assets);
      expect(statements.balanceSheet.liabilitiesAndEquity).toBe(statements.balanceSheet.assetTotal);
    },
  );

  it.skipIf(!hasChromium)(
    'acknowledges an item from the page with a note, which reconcile --json then shows, and a second ack keeps the note',
    async () => {
      await tab.goto(`${serve!.url}?from=2026-03-29&to=2026-04-02`);
      const topUp = (await reconcileItems()).find((item) => item.kind === 'balance_rise')!;
      expect(topUp.acknowledged).toBeNull();
      const item = tab.locator(`li[data-item="${topUp.id}"]`);
      expect(await item.evaluate((found) => found.closest('[data-group]')!.getAttribute('data-group'))).toBe(
        'needs-person',
      );
      await item.locator('input[name="note"]').fill('matched bank transfer 4471');
      await Promise.all([tab.waitForURL(/done=/), item.locator('button[value="ack"]').click()]);

      const after = (await reconcileItems()).find((found) => found.id === topUp.id)!;
      expect(after.acknowledged).toMatchObject({ note: 'matched bank transfer 4471' });
      const moved = tab.locator(`li[data-item="${topUp.id}"]`);
      expect(await moved.evaluate((found) => found.closest('[data-group]')!.getAttribute('data-group'))).toBe(
        'acknowledged',
      );
      expect(await moved.locator('ol.history li').allTextContents()).toEqual([
        expect.stringMatching(/^Acknowledged by .+: matched bank transfer 4471$/),
      ]);

      await Promise.all([tab.waitForURL(/done=/), moved.locator('button[value="ack"]').click()]);
      const again = (await reconcileItems()).find((found) => found.id === topUp.id)!;
      expect(again.acknowledged!.note).toBe('matched bank transfer 4471');
      expect(again.history.map((word) => [word.action, word.note])).toEqual([
        ['ack', 'matched bank transfer 4471'],
        ['ack', null],
      ]);

      mkdirSync(ARTIFACTS, { recursive: true });
      await tab.goto(`${serve!.url}?from=2026-03-29&to=2026-04-02`);
      await tab.screenshot({ path: join(ARTIFACTS, 'console-month-end.png'), fullPage: true });
    },
  );

  it.skipIf(!hasChromium)(
    'refuses a post without the CSRF token, even from its own page, and one from another origin with it',
    async () => {
      const before = await reconcileItems();
      const target = before.find((item) => item.kind === 'balance_rise')!.id;
      // The page's own form, its token taken out: the browser sends it as it would any other post.
      const form = tab.locator(`li[data-item="${target}"] form.ack`);
      const token = await form.locator('input[name="csrf"]').inputValue();
      await form.locator('input[name="csrf"]').evaluate((input) => input.remove());
      const [answer] = await Promise.all([
        tab.waitForResponse((response) => response.url().endsWith('/acknowledge')),
        form.locator('button[value="unack"]').click(),
      ]);
      const withoutToken = answer.status();
      expect(withoutToken).toBe(403);
      const forged = await fetch(`${serve!.url}acknowledge`, {
        method: 'POST',
        headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf: token, item: target, action: 'unack', from: '2026-03-29', to: '2026-04-02' }),
        redirect: 'manual',
      });
      expect(forged.status).toBe(403);
      // A page elsewhere whose name resolves to 127.0.0.1 (DNS rebinding) sends its own name as Host.
      const rebound = await new Promise<number | undefined>((resolveStatus, reject) => {
        request(serve!.url, { headers: { host: 'evil.example' } }, (response) => {
          response.resume();
          resolveStatus(response.statusCode);
        })
          .on('error', reject)
          .end();
      });
      expect(rebound).toBe(421);
      expect(await reconcileItems()).toEqual(before);
    },
  );

  it.skipIf(!hasChromium)(
    "offers the window's entries to download, and no request the page made left 127.0.0.1",
    async () => {
      const download = await fetch(`${serve!.url}export?format=generic&from=2026-04-01&to=2026-04-01`);
      expect(download.status).toBe(200);
      expect(download.headers.get('content-disposition')).toBe(
        'attachment; filename="ledgerline-generic-2026-04-01-to-2026-04-01.csv"',
      );
      expect(await download.text()).toBe(
        (await workspace.run(['export', '--format', 'generic', '--from', '2026-04-01', '--to', '2026-04-01'])).stdout,
      );
      expect(requested.length).toBeGreaterThan(3);
      expect(requested.filter((url) => !url.startsWith(serve!.url))).toEqual([]);
    },
  );

  it('opens on the month to date of the latest entry, the whole ledger one link away', async () => {
    const windowShown = async (path: string) => {
      const page = await (await fetch(`${serve!.url}${path}`)).text();
      return {
        from: /name="from" value="([^"]*)"/.exec(page)?.[1],
        to: /name="to" value="([^"]*)"/.exec(page)?.[1],
        wholeLink: page.includes('href="/?whole=ledger"'),
      };
    };
    expect(await windowShown('')).toEqual({ from: '2026-04-01', to: DAYS.at(-1), wholeLink: true });
    expect(await windowShown('?whole=ledger')).toEqual({ from: DAYS[0], to: DAYS.at(-1), wholeLink: true });
  });

  it('writes its page as it is made, in parts (chunked, no length announced), the head first and the page whole', async () => {
    const answer = await new Promise<{ headers: Record<string, unknown>; chunks: string[] }>(
      (resolveAnswer, reject) => {
        request(`${serve!.url}?whole=ledger`, (response) => {
          const chunks: string[] = [];
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => chunks.push(chunk));
          response.on('end', () => resolveAnswer({ headers: response.headers, chunks }));
        })
          .on('error', reject)
          .end();
      },
    );
    expect(answer.headers['transfer-encoding']).toBe('chunked');
    expect(answer.headers['content-length']).toBeUndefined();
    const page = answer.chunks.join('');
    expect(page.indexOf('</head>')).toBeLessThan(page.indexOf('<section'));
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page.endsWith('</html>\n')).toBe(true);
  });

  it('refuses another address than 127.0.0.1 without an access token, before listening', async () => {
    const run = await workspace.run(['serve', '--port', '0', '--host', '0.0.0.0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('LEDGERLINE_CONSOLE_TOKEN');
  });

  it('reads a sealed ledger through books opened for reading, and refuses an acknowledgement, which would write', async () => {
    // As `migrate --to` leaves it: the identity row names where the ledger went.
    await writeTables(workspace.ledger, (db) =>
      db
        .updateTable('ledger_identity')
        .set({ moved_to: 'postgres://books.example/ledger', moved_at: '2026-04-03T08:00:00.000Z' }),
    );
    const sealed = await startServe(workspace);
    try {
      const page = await fetch(`${sealed.url}?from=2026-03-29&to=2026-04-02`);
      expect(page.status).toBe(200);
      const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())![1]!;
      const before = await reconcileItems();
      const target = before.find((item) => item.kind === 'balance_rise')!.id;
      const answer = await fetch(`${sealed.url}acknowledge`, {
        method: 'POST',
        headers: { origin: sealed.url.slice(0, -1), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          csrf,
          item: target,
          action: 'ack',
          note: 'after the move',
          from: '2026-03-29',
          to: '2026-04-02',
        }),
        redirect: 'manual',
      });
      expect(answer.status).toBe(400);
      expect(await answer.text()).toContain(
        'is sealed: it was moved to postgres://books.example/ledger on 2026-04-03T08:00:00.000Z and takes no more writes',
      );
      expect(await reconcileItems()).toEqual(before);
    } finally {
      await sealed.stop();
    }
  });
});
