import { appendFileSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { packageMappingsDir } from '../../src/config/index.js';
import { formatCents } from '../../src/money/index.js';
import type { JournalEntry } from '../../src/rules/index.js';
import { startQuickBooksFake, type RunningQuickBooksFake } from '../../sandbox/quickbooks/fake.js';
import { useTempDir } from '../support/temp-dir.js';
import { assertBuilt, bookEntries, runCli, SECRETS } from './post-cli-harness.js';

/**
 * Issue 54 at QuickBooks, through the CLI and real HTTP: a UK company in the fake (its TaxCode list, the 6000
 * refusal of an income or expense line without a VAT rate), quickbooks.yaml's `tax:` and `untaxedCode` checked
 * by `doctor` and `post` before anything is sent, and a month posted with the codes and the tax to the penny.
 */

const tempDir = useTempDir('ledgerline-qbo-tax-');
const closers: (() => Promise<void>)[] = [];
beforeAll(assertBuilt);
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function company(country: string, currency: string): Promise<RunningQuickBooksFake> {
  const quickbooks = await startQuickBooksFake({
    clientId: SECRETS.QBO_CLIENT_ID,
    clientSecret: SECRETS.QBO_CLIENT_SECRET,
    refreshToken: SECRETS.QBO_REFRESH_TOKEN,
    refreshTokenGraceMs: 60_000,
    country,
    homeCurrency: currency,
    companyName: 'Ledgerline UK Ltd',
    batchOrder: 'as-sent',
  });
  closers.push(quickbooks.close);
  return quickbooks;
}

/** A ledger in `dir` posting to `quickbooks`, with copies of the shipped mappings whose quickbooks.yaml ends with `tax`. */
function workspace(
  dir: string,
  quickbooks: RunningQuickBooksFake,
  currency: string,
  tax: string,
): { config: string; mappingFile: string } {
  const mappings = join(dir, 'mappings');
  mkdirSync(mappings, { recursive: true });
  copyFileSync(join(packageMappingsDir(), 'default.yaml'), join(mappings, 'default.yaml'));
  const mappingFile = join(mappings, 'quickbooks.yaml');
  copyFileSync(join(packageMappingsDir(), 'quickbooks.yaml'), mappingFile);
  appendFileSync(mappingFile, `\n${tax}`);
  const config = join(dir, 'ledgerline.yaml');
  writeFileSync(
    config,
    [
      'ledger: ./data/ledger.sqlite',
      'timezone: UTC',
      `currency: ${currency}`,
      'mappings: ./mappings/default.yaml',
      'destinations:',
      '  quickbooks:',
      `    realmId: "${quickbooks.fake.realmId}"`,
      '    clientId: ${QBO_CLIENT_ID}',
      '    clientSecret: ${QBO_CLIENT_SECRET}',
      '    refreshToken: ${QBO_REFRESH_TOKEN}',
      '    environment: sandbox',
      `    apiUrl: ${quickbooks.apiUrl}`,
      `    tokenUrl: ${quickbooks.tokenUrl}`,
      `    baseCurrency: ${currency}`,
      '',
    ].join('\n'),
  );
  return { config, mappingFile };
}

function entry(id: string, date: string, lines: [account: string, pence: bigint][], currency = 'GBP'): JournalEntry {
  return {
    id,
    date,
    sourceId: id.split(':')[1]!,
    description: id,
    eventIds: [],
    lines: lines.map(([account, pence]) => ({ account, currency, amountMicros: pence * 10_000n })),
  };
}

/** A panel day (charges, less a refund) and an ad-network day, in pence. */
function month(days: number, currency = 'GBP'): JournalEntry[] {
  return Array.from({ length: days }, (_, index) => {
    const date = `2026-03-${String(index + 1).padStart(2, '0')}`;
    const charged = 10_001n + BigInt(index) * 337n;
    const refunded = index % 4 === 0 ? 199n : 0n;
    const earned = 5_000n + BigInt(index) * 13n;
    return [
      entry(
        `je:smm-panel:${date}`,
        date,
        [
          ['smm_services_expense', charged],
          ['panel_prepaid', -charged],
          ['smm_services_expense', -refunded],
          ['panel_prepaid', refunded],
        ].filter(([, pence]) => pence !== 0n) as [string, bigint][],
        currency,
      ),
      entry(
        `je:ads-publisher:${date}`,
        date,
        [
          ['payelancer_receivable', earned],
          ['ad_revenue', -earned],
        ],
        currency,
      ),
    ];
  }).flat();
}

describe('quickbooks.yaml tax codes refused before any post', () => {
  it('a code the company lacks, an inactive one and one without a sales rate on sales: doctor and post name the file and the key, and nothing is sent', async () => {
    const quickbooks = await company('GB', 'GBP');
    const dir = tempDir();
    const { config, mappingFile } = workspace(
      dir,
      quickbooks,
      'GBP',
      [
        'tax:',
        '  publisher_earnings: "20.0% S (sales)"',
        '  order_charge: "17.5% S"',
        '  order_refund: "20.0% RC SG"',
        'untaxedCode: "20.0% RC SG"',
        '',
      ].join('\n'),
    );
    await bookEntries(dir, month(2));
    const cli = (args: string[]) => runCli([...args, '--config', config], { cwd: dir });

    const doctor = await cli(['doctor', '--to', 'quickbooks']);
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(1);
    expect(doctor.stdout).toContain(
      '✗ tax code 20.0% S (sales) of publisher_earnings on ad_revenue: is not a tax code of this company',
    );
    expect(doctor.stdout).toContain(
      '✗ tax code 17.5% S of order_charge on smm_services_expense: is "17.5% S", which is inactive in QuickBooks',
    );
    expect(doctor.stdout).toContain('✓ tax code 20.0% RC SG of order_refund on smm_services_expense');
    expect(doctor.stdout).toContain(
      '✗ untaxed code 20.0% RC SG on sales: is "20.0% RC SG", which has no sales rate in QuickBooks',
    );
    expect(doctor.stdout).toContain(
      '(QuickBooks offers for sales: "20.0% S" (id 2), "0.0% Z" (id 4), "Exempt" (id 6), "No VAT" (id 10))',
    );

    const post = await cli(['post', 'quickbooks']);
    expect(post.code, post.stdout + post.stderr).toBe(2);
    expect(post.stderr).toContain(
      `${mappingFile} at tax.publisher_earnings: tax code 20.0% S (sales) of publisher_earnings on ad_revenue is not a tax code of this company`,
    );
    expect(post.stderr).toContain(`${mappingFile} at tax.order_charge: tax code 17.5% S`);
    expect(quickbooks.fake.journalEntries()).toEqual([]);
  });
});

describe('a UK month posted with tax codes', () => {
  it('ad income zero-rated, panel purchases at 20 %, the rest No VAT: the stored entries carry the codes and the tax the ledger computes, to the penny, and reconcile --with ties the tax out per code', async () => {
    const quickbooks = await company('GB', 'GBP');
    const dir = tempDir();
    const { config } = workspace(
      dir,
      quickbooks,
      'GBP',
      [
        'tax:',
        '  publisher_earnings: [{ code: 0.0% Z, rate: 0 }]',
        '  order_charge: [{ code: "20.0% S", rate: 20 }]',
        '  order_refund: [{ code: "20.0% S", rate: 20 }]',
        'untaxedCode: "10"',
        '',
      ].join('\n'),
    );
    await bookEntries(dir, month(16));
    const cli = (args: string[]) => runCli([...args, '--config', config], { cwd: dir });
    const post = await cli(['post', 'quickbooks']);
    expect(post.code, post.stdout + post.stderr).toBe(0);
    expect(post.stdout + post.stderr).not.toContain('QuickBooks stores');
    const entries = quickbooks.fake.journalEntries();
    expect(entries).toHaveLength(32);
    expect(entries.every((stored) => stored.globalTaxCalculation === 'TaxInclusive')).toBe(true);
    // The 16th: 100.01 + 15 × 3.37 = 150.56 charged, of which 20/120 is VAT: 25.093… → 25.09.
    const sixteenth = entries.find(
      (stored) => stored.txnDate === '2026-03-16' && stored.privateNote?.includes('smm-panel'),
    );
    expect(
      sixteenth?.lines.map((line) => [
        line.accountId,
        line.postingType,
        line.cents,
        line.tax?.taxCodeId,
        line.tax?.applicableOn,
        line.tax?.taxCents,
      ]),
    ).toEqual([
      ['11', 'Debit', 15_056n, '2', 'Purchase', 2_509n],
      ['3', 'Credit', 15_056n, undefined, undefined, undefined],
    ]);
    // The 13th's refund of 1.99 holds 0.33 of VAT; ad income is zero-rated: a code, no tax.
    const thirteenth = entries.find(
      (stored) => stored.txnDate === '2026-03-13' && stored.privateNote?.includes('smm-panel'),
    );
    expect(
      thirteenth?.lines.find((line) => line.postingType === 'Credit' && line.accountId === '11')?.tax?.taxCents,
    ).toBe(33n);
    const income = entries
      .filter((stored) => stored.privateNote?.includes('ads-publisher'))
      .flatMap((stored) => stored.lines.filter((line) => line.accountId === '9'));
    expect(income.map((line) => [line.tax?.taxCodeId, line.tax?.applicableOn, line.tax?.taxCents])).toEqual(
      Array(16).fill(['4', 'Sales', 0n]),
    );

    // The tie-out reads the entries back: QuickBooks' tax per code equals the ledger's, month by month.
    const purchases = entries.flatMap((stored) =>
      stored.lines.flatMap((line) =>
        line.tax?.taxCodeId === '2' ? [line.postingType === 'Debit' ? line.tax.taxCents : -line.tax.taxCents] : [],
      ),
    );
    const tieOut = await cli(['reconcile', '--with', 'quickbooks', '--as-of', '2026-03-31', '--json']);
    expect(tieOut.code, tieOut.stdout + tieOut.stderr).toBe(0);
    const report = JSON.parse(tieOut.stdout) as { clean: boolean; tax: { rows: unknown[]; unrated: string[] } };
    expect(report.clean).toBe(true);
    expect(report.tax).toEqual({
      rows: [
        { period: '2026-03', code: '0.0% Z', lines: 16, ledger: '0.00', destination: '0.00' },
        {
          period: '2026-03',
          code: '20.0% S',
          lines: 20,
          ledger: formatCents(purchases.reduce((sum, cents) => sum + cents, 0n)),
          destination: formatCents(purchases.reduce((sum, cents) => sum + cents, 0n)),
        },
      ],
      unrated: [],
    });
  });

  it('a US company: the tax section is not sent (requests as without one) and doctor says why', async () => {
    const quickbooks = await company('US', 'USD');
    const dir = tempDir();
    const { config } = workspace(dir, quickbooks, 'USD', ['tax:', '  order_charge: "20.0% S"', ''].join('\n'));
    await bookEntries(dir, month(2, 'USD'));
    const cli = (args: string[]) => runCli([...args, '--config', config], { cwd: dir });
    const doctor = await cli(['doctor', '--to', 'quickbooks']);
    expect(doctor.stdout).toContain('a US company has no tax code on journal entries');
    const post = await cli(['post', 'quickbooks']);
    expect(post.code, post.stdout + post.stderr).toBe(0);
    const entries = quickbooks.fake.journalEntries();
    expect(entries).toHaveLength(4);
    expect(
      entries.every(
        (stored) => stored.globalTaxCalculation === undefined && stored.lines.every((line) => line.tax === undefined),
      ),
    ).toBe(true);
  });
});

describe('a reversal keeps its original code (issue 70)', () => {
  it('a clawback of zero-rated earnings goes out 0.0% Z, in the entry and the CSV; rounding takes untaxedCode in the CSV', async () => {
    const quickbooks = await company('GB', 'GBP');
    const dir = tempDir();
    const { config } = workspace(
      dir,
      quickbooks,
      'GBP',
      ['tax:', '  publisher_earnings: [{ code: 0.0% Z, rate: 0 }]', 'untaxedCode: No VAT', ''].join('\n'),
    );
    await bookEntries(dir, [
      entry('je:ads-publisher:2026-03-10', '2026-03-10', [
        ['payelancer_receivable', 5_000n],
        ['ad_revenue', -5_000n],
      ]),
      entry('je:ads-publisher:2026-03-12', '2026-03-12', [
        ['ad_revenue', 65n],
        ['payelancer_receivable', -65n],
      ]),
      entry('je:smm-panel:2026-03-12', '2026-03-12', [
        ['smm_services_expense', 157n],
        ['panel_prepaid', -156n],
        ['rounding', -1n],
      ]),
    ]);
    const cli = (args: string[]) => runCli([...args, '--config', config], { cwd: dir });
    const post = await cli(['post', 'quickbooks']);
    expect(post.code, post.stdout + post.stderr).toBe(0);
    const clawback = quickbooks.fake.journalEntries().find((stored) => stored.privateNote?.includes('2026-03-12]'));
    // Before issue 70 the clawback went out at the untaxed code ("No VAT"): box 6 stayed 0.65 too high.
    expect(clawback?.lines.map((line) => [line.postingType, line.cents, line.tax?.taxCodeId])).toEqual([
      ['Debit', 65n, '4'],
      ['Credit', 65n, undefined],
    ]);
    const exported = await cli(['export', '--format', 'quickbooks', '--out', join(dir, 'quickbooks.csv')]);
    expect(exported.code, exported.stderr).toBe(0);
    const rows = readFileSync(join(dir, 'quickbooks.csv'), 'utf8').split('\r\n');
    expect(rows.filter((row) => row.includes('03/12/2026')).map((row) => row.split(',').at(-1))).toEqual([
      '0.0% Z',
      '',
      'No VAT',
      '',
      'No VAT',
    ]);
  });
});
