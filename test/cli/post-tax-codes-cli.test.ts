import { appendFileSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { packageMappingsDir } from '../../src/config/index.js';
import type { JournalEntry } from '../../src/rules/index.js';
import { startXeroFake, XERO_UK_TAX_RATES, type RunningXeroFake } from '../../sandbox/xero/fake.js';
import { useTempDir } from '../support/temp-dir.js';
import { assertBuilt, bookEntries, runCli, SECRETS } from './post-cli-harness.js';

/**
 * Issue 54 through the CLI and real HTTP: a UK Xero organisation (the fake with Xero's published UK tax rates),
 * xero.yaml's `tax:` flows checked by `doctor` and `post` against GET /TaxRates before anything is sent.
 */

const tempDir = useTempDir('ledgerline-tax-codes-');
const closers: (() => Promise<void>)[] = [];
beforeAll(assertBuilt);
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function ukOrganisation(): Promise<RunningXeroFake> {
  const xero = await startXeroFake({ clientId: SECRETS.XERO_CLIENT_ID, clientSecret: SECRETS.XERO_CLIENT_SECRET, countryCode: 'GB', baseCurrency: 'GBP', organisationName: 'Ledgerline UK Ltd', taxRates: XERO_UK_TAX_RATES });
  closers.push(xero.close);
  return xero;
}

/** A GBP ledger in `dir` posting to `xero`, with copies of the shipped mappings whose xero.yaml ends with `tax`. */
function ukWorkspace(dir: string, xero: RunningXeroFake, tax: string): { config: string; xeroYaml: string } {
  const mappings = join(dir, 'mappings');
  mkdirSync(mappings, { recursive: true });
  copyFileSync(join(packageMappingsDir(), 'default.yaml'), join(mappings, 'default.yaml'));
  const xeroYaml = join(mappings, 'xero.yaml');
  copyFileSync(join(packageMappingsDir(), 'xero.yaml'), xeroYaml);
  appendFileSync(xeroYaml, `\n${tax}`);
  const config = join(dir, 'ledgerline.yaml');
  writeFileSync(
    config,
    [
      'ledger: ./data/ledger.sqlite',
      'timezone: UTC',
      'currency: GBP',
      'mappings: ./mappings/default.yaml',
      'destinations:',
      '  xero:',
      `    tenantId: "${xero.fake.tenantId}"`,
      '    clientId: ${XERO_CLIENT_ID}',
      '    clientSecret: ${XERO_CLIENT_SECRET}',
      `    apiUrl: ${xero.apiUrl}`,
      `    tokenUrl: ${xero.tokenUrl}`,
      '    region: UK',
      '',
    ].join('\n'),
  );
  return { config, xeroYaml };
}

/** A day of the panel as a daily close books it: charges and refunds through panel_prepaid, in pence. */
function panelDay(date: string, chargedPence: bigint, refundedPence = 0n): JournalEntry {
  const lines = [
    { account: 'smm_services_expense', currency: 'GBP', amountMicros: chargedPence * 10_000n },
    { account: 'panel_prepaid', currency: 'GBP', amountMicros: -chargedPence * 10_000n },
  ];
  if (refundedPence > 0n) {
    lines.push({ account: 'smm_services_expense', currency: 'GBP', amountMicros: -refundedPence * 10_000n }, { account: 'panel_prepaid', currency: 'GBP', amountMicros: refundedPence * 10_000n });
  }
  return { id: `je:smm-panel:${date}`, date, sourceId: 'smm-panel', description: `smm-panel ${date}`, eventIds: [], lines };
}

describe('xero.yaml tax codes refused before any post', () => {
  it('a code the organisation lacks, an archived one and one not for the account’s class: doctor and post name the file and the key, and nothing is sent', async () => {
    const xero = await ukOrganisation();
    const dir = tempDir();
    const { config, xeroYaml } = ukWorkspace(dir, xero, ['tax:', '  publisher_earnings: TAX001', '  order_charge: INPUT', '  order_refund:', '    - { code: REVERSECHARGES }', '    - { code: OUTPUT2, from: 2026-03-16 }', ''].join('\n'));
    await bookEntries(dir, [panelDay('2026-03-02', 10_000n)]);
    const cli = (args: string[]) => runCli([...args, '--config', config], { cwd: dir });

    const doctor = await cli(['doctor', '--to', 'xero']);
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(1);
    expect(doctor.stdout).toContain('✗ tax type TAX001 of publisher_earnings on account 210 (ad_revenue): is not a tax type of this organisation\n');
    expect(doctor.stdout).toContain('✗ tax type INPUT of order_charge on account 410 (smm_services_expense): is "17.5% (VAT on Expenses)", which is archived in Xero\n');
    expect(doctor.stdout).toContain('✗ tax type OUTPUT2 of order_refund on account 410 (smm_services_expense): is "20% (VAT on Income)", which cannot be used on expense accounts in Xero\n');
    expect(doctor.stdout).toContain(`put one of its codes in tax.order_refund[1].code of ${xeroYaml} (Xero offers on expense accounts: NONE ("No VAT"), INPUT2 ("20% (VAT on Expenses)")`);
    expect(doctor.stdout).toContain('✓ tax type REVERSECHARGES of order_refund on account 410 (smm_services_expense)');

    const post = await cli(['post', 'xero']);
    expect(post.code, post.stdout + post.stderr).toBe(2);
    expect(post.stderr).toContain(`${xeroYaml} at tax.publisher_earnings: tax type TAX001 of publisher_earnings on account 210 (ad_revenue) is not a tax type of this organisation`);
    expect(post.stderr).toContain(`${xeroYaml} at tax.order_charge: tax type INPUT`);
    expect(post.stderr).toContain(`${xeroYaml} at tax.order_refund[1].code: tax type OUTPUT2`);
    expect(xero.fake.journals()).toEqual([]);
    expect(xero.fake.requestLog().filter((request) => request.method !== 'GET').map((request) => request.path)).not.toContain('/api.xro/2.0/ManualJournals');
  });
});
