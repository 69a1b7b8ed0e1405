import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ENVIRONMENT } from '../../sandbox/index.js';
import { finished, spawnLedgerline, type CliResult } from '../scenarios/scenario-harness.js';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * Issue 83: `sandbox --region uk` made the panel report in GBP, so a UK team whose panel charges in USD could not
 * rehearse. `sandbox --region uk --supplier-currency USD` plays a UK organisation with a USD panel, and `init …
 * --region uk --supplier-currency USD` writes the panel's currency and `destinations.rates`, so its USD orders are
 * converted into the GBP books' return and posts.
 */
const tempDir = useTempDir('ledgerline-supplier-currency-');
let sandbox: ChildProcess;
let url: string;
let banner: string;
let ended: Promise<CliResult>;

beforeAll(async () => {
  sandbox = spawnLedgerline(tmpdir(), ['sandbox', '--region', 'uk', '--supplier-currency', 'USD', '--port', '0'], {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
  });
  ended = finished(sandbox, 120_000);
  url = await new Promise<string>((resolve, reject) => {
    let said = '';
    sandbox.on('exit', (code) => reject(new Error(`sandbox exited ${code}: ${said}`)));
    sandbox.stdout!.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*Stop with Ctrl-C/.exec(said);
      if (found) {
        banner = said;
        resolve(found[1]!);
      }
    });
  });
}, 30_000);

afterAll(async () => {
  sandbox?.kill('SIGINT');
  await ended;
});

describe(
  'sandbox --region uk --supplier-currency USD, then init … --supplier-currency USD',
  { timeout: 120_000 },
  () => {
    it('rehearses a UK company with a USD panel: the panel in USD, the rates written, the return and the posts converted', async () => {
      expect(banner).toContain('GBP, the published default tax rates, the panel in USD');
      expect(banner).toContain('--region uk --supplier-currency USD --vat-registered');
      const dir = tempDir();
      const cli = (args: string[]) => runLedgerline(args, { cwd: dir, env: SANDBOX_ENVIRONMENT });
      const init = await cli([
        'init',
        '--sandbox-url',
        url,
        '--region',
        'uk',
        '--supplier-currency',
        'USD',
        '--vat-registered',
      ]);
      expect(init.code, init.stderr).toBe(0);
      const config = readFileSync(join(dir, 'ledgerline.yaml'), 'utf8');
      expect(config).toMatch(/^currency: GBP$/m);
      expect(config).toMatch(/^ {4}apiKey: \$\{PANEL_KEY\}\n {4}currency: USD /m);
      expect(config).toMatch(/^ {2}rates: .*\n {4}fixed: \{ USD: "0\.79" \}/m);
      for (let day = 0; day < 2; day += 1) {
        await fetch(`${url}/__admin/day`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ advance: 1 }),
        });
        writeFileSync(join(dir, 'orders.csv'), await (await fetch(`${url}/__admin/orders.csv`)).text());
        const synced = await cli(['sync', '--orders-file', 'orders.csv']);
        expect([0, 1], synced.stdout + synced.stderr).toContain(synced.code);
      }
      const balance = await cli(['doctor', '--to', 'xero']);
      expect(balance.code, balance.stdout + balance.stderr).toBe(0);
      expect(balance.stdout).toMatch(/the panel answered: [\d.]+ USD/);
      const vat = await cli(['vat', '--period', '2026-03', '--json']);
      expect(vat.code, vat.stderr).toBe(0);
      // The panel's USD orders are in the GBP return, converted at 0.79: none left out for want of a rate.
      const { boxes, otherCurrencies } = JSON.parse(vat.stdout) as {
        boxes: Record<string, string>;
        otherCurrencies: string[];
      };
      expect(otherCurrencies).toEqual([]);
      expect(Number(boxes['7'])).toBeGreaterThan(0);
      const posted = await cli(['post', 'xero']);
      expect(posted.code, posted.stdout + posted.stderr).toBe(0);
    });
  },
);
