import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageMappingsDir } from '../../src/config/index.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/rules/index.js';
import { QUICKBOOKS_DEFAULT_ACCOUNTS } from '../../sandbox/quickbooks/settings.js';
import { startQuickBooksFake, type RunningQuickBooksFake } from '../../sandbox/quickbooks/fake.js';
import { useTempDir } from '../support/temp-dir.js';
import { SECRETS, assertBuilt, bookEntries, runCli, writeConfig } from './post-cli-harness.js';

/**
 * Issue 82 item 9: a foreign-currency entry ties at QuickBooks as it does at Xero. A UK company (GBP home,
 * multicurrency on) is posted a USD entry at a fixed 0.79: QuickBooks converts each amount on its own, half-even
 * (Dr advertising 27.50 → 21.72, 21.725 rounded to even; Dr SMM services 12.51 → 9.88; Cr panel balance 40.01 →
 * −31.61), and the cent they leave over is its Exchange Gain or Loss. The ledger had spread that cent to keep the
 * entry balanced (advertising 21.73), so reconcile --with quickbooks named a balance difference after a clean post.
 */
const tempDir = useTempDir('ledgerline-reconcile-qbo-fx-');
const closers: (() => Promise<void>)[] = [];
beforeAll(assertBuilt);
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** The panel's and the ad network's USD spend of one day, in cents. */
function usdDay(date: string, advertising: bigint, services: bigint): JournalEntry {
  const micros = (cents: bigint) => cents * 10_000n;
  return {
    id: `je:usd-spend:${date}`,
    date,
    sourceId: 'smm-panel',
    description: `USD spend ${date}`,
    eventIds: [],
    lines: [
      { account: 'advertising_expense', currency: 'USD', amountMicros: micros(advertising) },
      { account: 'smm_services_expense', currency: 'USD', amountMicros: micros(services) },
      { account: 'panel_prepaid', currency: 'USD', amountMicros: -micros(advertising + services) },
    ],
  };
}

interface ReconcileJson {
  clean: boolean;
  items: { kind: string; message: string }[];
}

describe('reconcile --with quickbooks at a UK company with a USD month (issue 82 item 9)', () => {
  it('lists no balance difference after a clean post: each amount is worked as QuickBooks works home amounts', async () => {
    const quickbooks: RunningQuickBooksFake = await startQuickBooksFake({
      clientId: SECRETS.QBO_CLIENT_ID,
      clientSecret: SECRETS.QBO_CLIENT_SECRET,
      refreshToken: SECRETS.QBO_REFRESH_TOKEN,
      refreshTokenGraceMs: 0,
      accounts: QUICKBOOKS_DEFAULT_ACCOUNTS,
      country: 'GB',
      homeCurrency: 'GBP',
      multiCurrency: true,
    });
    closers.push(quickbooks.close);
    const dir = tempDir();
    const config = writeConfig(dir, { quickbooks }, '  rates:\n    fixed: { USD: "0.79" }\n');
    // A UK company takes no journal line on an income or expense account without a VAT code: the untaxed one.
    cpSync(packageMappingsDir(), join(dir, 'mappings'), { recursive: true });
    appendFileSync(join(dir, 'mappings', 'quickbooks.yaml'), '\nuntaxedCode: "No VAT"\n');
    writeFileSync(
      config,
      readFileSync(config, 'utf8')
        .replace(/^currency: USD$/m, 'currency: GBP\nmappings: ./mappings/default.yaml')
        .replace(/^( {4}tokenUrl: .*)$/m, '$1\n    baseCurrency: GBP'),
    );
    await bookEntries(dir, [usdDay('2026-05-04', 2_750n, 1_251n), usdDay('2026-05-05', 1_811n, 995n)]);
    const cli = (args: string[]) => runCli([...args, '--config', config], { cwd: dir });

    const posted = await cli(['post', 'quickbooks']);
    expect(posted.code, posted.stdout + posted.stderr).toBe(0);
    const reconciled = await cli(['reconcile', '--with', 'quickbooks', '--as-of', '2026-05-31', '--json']);
    const report = JSON.parse(reconciled.stdout) as ReconcileJson;
    expect(report.items.map((item) => item.message)).toEqual([]);
    expect(reconciled.code, reconciled.stderr).toBe(0);
  });
});
