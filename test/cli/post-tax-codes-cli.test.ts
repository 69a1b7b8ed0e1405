import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/rules/index.js';
import { xeroLineTax } from '../../src/destinations/xero/xero-tax.js';
import { startXeroFake, XERO_UK_TAX_RATES, type RunningXeroFake } from '../../sandbox/xero/fake.js';
import { useTempDir } from '../support/temp-dir.js';
import { assertBuilt, bookEntries, runCli, SECRETS, ukXeroWorkspace } from './post-cli-harness.js';

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
  const xero = await startXeroFake({
    clientId: SECRETS.XERO_CLIENT_ID,
    clientSecret: SECRETS.XERO_CLIENT_SECRET,
    countryCode: 'GB',
    baseCurrency: 'GBP',
    organisationName: 'Ledgerline UK Ltd',
    taxRates: XERO_UK_TAX_RATES,
  });
  closers.push(xero.close);
  return xero;
}

/** A day of the panel as a daily close books it: charges and refunds through panel_prepaid, in pence. */
function panelDay(date: string, chargedPence: bigint, refundedPence = 0n): JournalEntry {
  const lines = [
    { account: 'smm_services_expense', currency: 'GBP', amountMicros: chargedPence * 10_000n },
    { account: 'panel_prepaid', currency: 'GBP', amountMicros: -chargedPence * 10_000n },
  ];
  if (refundedPence > 0n) {
    lines.push(
      { account: 'smm_services_expense', currency: 'GBP', amountMicros: -refundedPence * 10_000n },
      { account: 'panel_prepaid', currency: 'GBP', amountMicros: refundedPence * 10_000n },
    );
  }
  return {
    id: `je:smm-panel:${date}`,
    date,
    sourceId: 'smm-panel',
    description: `smm-panel ${date}`,
    eventIds: [],
    lines,
  };
}

describe('xero.yaml tax codes refused before any post', () => {
  it('a code the organisation lacks, an archived one and one not for the account’s class: doctor and post name the file and the key, and nothing is sent', async () => {
    const xero = await ukOrganisation();
    const dir = tempDir();
    const { config, xeroYaml } = ukXeroWorkspace(dir, xero, {
      xeroTax: [
        'tax:',
        '  publisher_earnings: TAX001',
        '  order_charge: INPUT',
        '  order_refund:',
        '    - { code: REVERSECHARGES }',
        '    - { code: OUTPUT2, from: 2026-03-16 }',
        '',
      ].join('\n'),
    });
    await bookEntries(dir, [panelDay('2026-03-02', 10_000n)]);
    const cli = (args: string[]) => runCli([...args, '--config', config], { cwd: dir });

    const doctor = await cli(['doctor', '--to', 'xero']);
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(1);
    expect(doctor.stdout).toContain(
      '✗ tax type TAX001 of publisher_earnings on account 210 (ad_revenue): is not a tax type of this organisation\n',
    );
    expect(doctor.stdout).toContain(
      '✗ tax type INPUT of order_charge on account 410 (smm_services_expense): is "17.5% (VAT on Expenses)", which is archived in Xero\n',
    );
    expect(doctor.stdout).toContain(
      '✗ tax type OUTPUT2 of order_refund on account 410 (smm_services_expense): is "20% (VAT on Income)", which cannot be used on expense accounts in Xero\n',
    );
    expect(doctor.stdout).toContain(
      `put one of its codes in tax.order_refund[1].code of ${xeroYaml} (Xero offers on expense accounts: NONE ("No VAT"), INPUT2 ("20% (VAT on Expenses)")`,
    );
    expect(doctor.stdout).toContain('✓ tax type REVERSECHARGES of order_refund on account 410 (smm_services_expense)');

    const post = await cli(['post', 'xero']);
    expect(post.code, post.stdout + post.stderr).toBe(2);
    expect(post.stderr).toContain(
      `${xeroYaml} at tax.publisher_earnings: tax type TAX001 of publisher_earnings on account 210 (ad_revenue) is not a tax type of this organisation`,
    );
    expect(post.stderr).toContain(`${xeroYaml} at tax.order_charge: tax type INPUT`);
    expect(post.stderr).toContain(`${xeroYaml} at tax.order_refund[1].code: tax type OUTPUT2`);
    expect(xero.fake.journals()).toEqual([]);
    expect(
      xero.fake
        .requestLog()
        .filter((request) => request.method !== 'GET')
        .map((request) => request.path),
    ).not.toContain('/api.xro/2.0/ManualJournals');
  });
});

/** A day of ad income as the network's close books it: Dr payelancer_receivable, Cr ad_revenue, in pence. */
function adDay(date: string, earnedPence: bigint): JournalEntry {
  return {
    id: `je:ads-publisher:${date}`,
    date,
    sourceId: 'ads-publisher',
    description: `ads-publisher ${date}`,
    eventIds: [],
    lines: [
      { account: 'payelancer_receivable', currency: 'GBP', amountMicros: earnedPence * 10_000n },
      { account: 'ad_revenue', currency: 'GBP', amountMicros: -earnedPence * 10_000n },
    ],
  };
}

const days = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, index) => `2026-03-${String(from + index).padStart(2, '0')}`);

describe('a UK month posted with tax codes', () => {
  it('ad income zero-rated, panel purchases reverse-charged, then INPUT2 from a dated rule: the stored journals carry the codes and the tax the ledger computes, to the penny; the first half keeps its codes and a re-post sends nothing', async () => {
    const xero = await ukOrganisation();
    const dir = tempDir();
    const { config, xeroYaml } = ukXeroWorkspace(dir, xero, {
      xeroTax: [
        'tax:',
        '  publisher_earnings: ZERORATEDOUTPUT',
        '  order_charge: REVERSECHARGES',
        '  order_refund: REVERSECHARGES',
        '',
      ].join('\n'),
    });
    const cli = (args: string[]) => runCli([...args, '--config', config], { cwd: dir });
    // Pence chosen so the 20 % inside them is not whole: 100.01 holds 16.668… of VAT.
    const pence = (day: number): bigint => 10_001n + BigInt(day) * 337n;
    await bookEntries(
      dir,
      days(1, 15).flatMap((date, index) => [
        adDay(date, 5_000n + BigInt(index) * 13n),
        panelDay(date, pence(index), index % 4 === 0 ? 250n : 0n),
      ]),
    );
    const first = await cli(['post', 'xero']);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(xero.fake.journals()).toHaveLength(30);

    // The panel registered for UK VAT on the 16th and now charges it: a new dated rule, not an edit of the past.
    const dated = '    - { code: REVERSECHARGES }\n    - { code: INPUT2, from: 2026-03-16 }';
    writeFileSync(
      xeroYaml,
      readFileSync(xeroYaml, 'utf8').replace(
        '  order_charge: REVERSECHARGES\n  order_refund: REVERSECHARGES',
        `  order_charge:\n${dated}\n  order_refund:\n${dated}`,
      ),
    );
    await bookEntries(
      dir,
      days(16, 31).flatMap((date, index) => [
        adDay(date, 4_000n + BigInt(index) * 7n),
        panelDay(date, pence(index + 15), index % 5 === 0 ? 199n : 0n),
      ]),
    );
    const second = await cli(['post', 'xero']);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const journals = xero.fake.journals();
    expect(journals).toHaveLength(62);

    const rates = new Map(XERO_UK_TAX_RATES.map((rate) => [rate.taxType, rate.rate ?? '0']));
    const codesOn = (date: string) =>
      journals
        .filter((journal) => journal.date === date)
        .flatMap((journal) => journal.lines.map((line) => `${line.accountCode} ${line.taxType}`));
    expect(codesOn('2026-03-15').sort()).toEqual(['210 ZERORATEDOUTPUT', '410 REVERSECHARGES', '611 NONE', '621 NONE']);
    expect(codesOn('2026-03-16').sort()).toEqual([
      '210 ZERORATEDOUTPUT',
      '410 INPUT2',
      '410 INPUT2',
      '611 NONE',
      '621 NONE',
      '621 NONE',
    ]);
    for (const journal of journals) {
      expect(journal.lineAmountTypes).toBe('Inclusive');
      for (const line of journal.lines)
        expect(line.taxCents, `${journal.narration} ${line.accountCode}`).toBe(
          xeroLineTax(line.cents, rates.get(line.taxType) ?? '0', 'Inclusive'),
        );
    }
    // The 16th: 100.01 + 15 × 3.37 = 150.56 charged, of which 20/120 is VAT: 25.093… → 25.09; refunded 1.99 holds 0.33.
    const sixteenth = journals.find((journal) => journal.narration.endsWith('[je:smm-panel:2026-03-16]'));
    expect(
      sixteenth?.lines.filter((line) => line.taxType === 'INPUT2').map((line) => [line.cents, line.taxCents]),
    ).toEqual([
      [15_056n, 2_509n],
      [-199n, -33n],
    ]);
    const input = journals.flatMap((journal) => journal.lines).filter((line) => line.taxType === 'INPUT2');
    expect(input.reduce((total, line) => total + line.taxCents, 0n)).toBe(
      input.reduce((total, line) => total + xeroLineTax(line.cents, '20', 'Inclusive'), 0n),
    );

    const requestsBefore = xero.fake.requestLog().length;
    const again = await cli(['post', 'xero']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(xero.fake.journals()).toEqual(journals);
    expect(
      xero.fake
        .requestLog()
        .slice(requestsBefore)
        .filter((request) => request.method === 'PUT'),
    ).toEqual([]);
  });
});

/** A day the network clawed earnings back (lifetime earnings fell): Dr ad_revenue, Cr payelancer_receivable, in pence. */
function clawbackDay(date: string, pence: bigint): JournalEntry {
  return { ...adDay(date, -pence), id: `je:ads-publisher:${date}`, description: `ads-publisher ${date} clawback` };
}

describe('a reversal keeps its original code (issue 70)', () => {
  it('a clawback of zero-rated earnings goes out zero-rated, in the journal and the CSV, and doctor says so; a chart that books it elsewhere is warned of', async () => {
    const xero = await ukOrganisation();
    const dir = tempDir();
    const { config } = ukXeroWorkspace(dir, xero, {
      xeroTax: [
        'tax:',
        '  publisher_earnings:',
        '    - { code: ZERORATEDOUTPUT, rate: 0, name: Zero Rated Income }',
        '    - { code: OUTPUT2, rate: 20, from: 2026-03-16, name: "20% (VAT on Income)" }',
        '',
      ].join('\n'),
    });
    await bookEntries(dir, [adDay('2026-03-10', 5_000n), clawbackDay('2026-03-12', 1_035n)]);
    const cli = (args: string[]) => runCli([...args, '--config', config], { cwd: dir });

    const doctor = await cli(['doctor', '--to', 'xero']);
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
    expect(doctor.stdout).toContain(
      "✓ the reversal publisher_clawback of publisher_earnings: takes the code of tax.publisher_earnings in force on the original's date (it books back to ad_revenue)\n",
    );
    const planned = await cli(['post', 'xero', '--dry-run', '--json']);
    const plan = JSON.parse(planned.stdout) as { entries: { date: string; taxLines: unknown[] }[] };
    expect(plan.entries.find((entry) => entry.date === '2026-03-12')?.taxLines).toEqual([
      { account: 'ad_revenue', amount: '10.35', code: 'ZERORATEDOUTPUT', flow: 'publisher_clawback', tax: '0.00' },
    ]);
    expect((await cli(['post', 'xero', '--dry-run'])).stdout).toContain(
      '      ad_revenue  10.35  ZERORATEDOUTPUT  tax 0.00  (publisher_clawback)\n',
    );
    const posted = await cli(['post', 'xero']);
    expect(posted.code, posted.stdout + posted.stderr).toBe(0);
    const clawback = xero.fake.journals().find((journal) => journal.date === '2026-03-12');
    // Before issue 70 this line went out `210 NONE`: box 6 stayed 10.35 too high.
    expect(
      clawback?.lines.map((line) => `${line.accountCode} ${line.taxType} ${line.cents} ${line.taxCents}`).sort(),
    ).toEqual(['210 ZERORATEDOUTPUT 1035 0', '611 NONE -1035 0']);
    const exported = await cli(['export', '--format', 'xero', '--out', join(dir, 'xero.csv')]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(
      readFileSync(join(dir, 'xero.csv'), 'utf8')
        .split('\r\n')
        .filter((row) => row.includes(',12/03/2026,') && row.includes(',210,')),
    ).toEqual([expect.stringContaining(',210,Zero Rated Income,10.35,')]);

    const chart = join(dir, 'mappings', 'default.yaml');
    writeFileSync(
      chart,
      readFileSync(chart, 'utf8').replace(/( {2}publisher_clawback:\n {4}debit: )ad_revenue/, '$1advertising_expense'),
    );
    const warned = await cli(['doctor', '--to', 'xero']);
    expect(warned.stdout).toContain(
      "! the reversal publisher_clawback of publisher_earnings: books to advertising_expense, not back to publisher_earnings's line, and has no rule of its own: its lines go out uncoded",
    );
  });
});
