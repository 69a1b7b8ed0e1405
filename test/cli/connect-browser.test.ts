import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { startXeroFake, type RunningXeroFake } from '../../sandbox/xero/fake.js';
import { spendEntry } from '../pipeline/post-fixtures.js';
import { CHROMIUM, chromiumContext, hasChromium } from '../support/console-in-chromium.js';
import { useTempDir } from '../support/temp-dir.js';
import { connectWorkspace, startCliInProcess } from './connect-harness.js';
import { SECRETS, bookEntries, runCli } from './post-cli-harness.js';

/**
 * The whole consent in a real browser: `connect xero` prints the URL, Chromium
 * opens Xero's (fake) consent page, ticks an organisation, allows, follows the
 * redirect to connect's loopback listener, and the token store then holds the
 * tokens with which doctor and post work.
 */

const tempDir = useTempDir('ledgerline-connect-browser-');
let context: BrowserContext | undefined;
let xero: RunningXeroFake | undefined;

afterEach(async () => {
  await context?.close();
  await xero?.close();
});

describe('connect xero in Chromium', () => {
  it.skipIf(!hasChromium)(
    `consent page, organisation picked, redirect to the loopback listener, then doctor and post succeed (skipped when ${CHROMIUM} is absent)`,
    async () => {
      xero = await startXeroFake({
        clientId: SECRETS.XERO_CLIENT_ID,
        clientSecret: SECRETS.XERO_CLIENT_SECRET,
        customConnection: false,
        otherOrganisations: [{ tenantId: '7f1c2b3a-0000-4000-8000-00000000b0b0', name: 'Ledgerline Holdings Ltd' }],
      });
      const dir = tempDir();
      const config = connectWorkspace(dir, { xero });
      // In process: the subject is the consent in the browser and connect's loopback listener, not the process.
      const run = startCliInProcess(['connect', 'xero', '--config', config, '--no-browser', '--port', '0'], dir);
      const url = await run.url;

      context = await chromiumContext();
      const tab = await context.newPage();
      await tab.goto(url);
      expect(await tab.title()).toBe('Xero: allow access');
      expect(await tab.textContent('#scope')).toBe(
        'offline_access accounting.manualjournals accounting.settings.read accounting.reports.trialbalance.read',
      );
      expect(await tab.locator('input[name=tenant]').count()).toBe(2);
      await tab.check(`input[value="${xero.fake.tenantId}"]`);
      await tab.click('#allow');
      await tab.waitForURL(/^http:\/\/localhost:\d+\/callback\?code=/);
      expect(await tab.textContent('body')).toContain('ledgerline received the answer');

      const ended = await run.done;
      expect(ended.code, ended.stdout + ended.stderr).toBe(0);
      expect(ended.stdout).toContain(
        `connected: Xero organisation "Ledgerline Sandbox Ltd" (tenant ${xero.fake.tenantId})`,
      );
      const storePath = join(dir, 'data', '.ledgerline-tokens.json');
      expect(statSync(storePath).mode & 0o777).toBe(0o600);
      const stored = (
        JSON.parse(readFileSync(storePath, 'utf8')) as { destinations: { xero: Record<string, unknown> } }
      ).destinations.xero;
      expect(stored).toMatchObject({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        connection: { tenantId: xero.fake.tenantId, organisationName: 'Ledgerline Sandbox Ltd' },
      });
      expect(ended.stdout + ended.stderr).not.toContain(stored.refreshToken as string);
      expect(ended.stdout + ended.stderr).not.toContain(stored.accessToken as string);

      const checked = await runCli(['doctor', '--to', 'xero', '--config', config], { cwd: dir });
      expect(checked.code, checked.stdout + checked.stderr).toBe(0);
      await bookEntries(dir, [spendEntry(1, '2024-02-03')]);
      const posted = await runCli(['post', '--to', 'xero', '--config', config], { cwd: dir });
      expect(posted.code, posted.stdout + posted.stderr).toBe(0);
      expect(xero.fake.journals()).toHaveLength(1);
    },
  );
});
