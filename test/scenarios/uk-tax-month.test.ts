import { execFileSync } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_DESTINATION_CREDENTIALS, startSandbox } from '../../sandbox/index.js';
import {
  createQuickBooksFake,
  QUICKBOOKS_DEFAULT_ACCOUNTS,
  type QuickBooksFake,
} from '../../sandbox/quickbooks/fake.js';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import { createXeroFake, XERO_DEFAULT_ACCOUNTS, XERO_UK_TAX_RATES, type XeroFake } from '../../sandbox/xero/fake.js';
import { builtWorld } from '../support/built-worlds.js';
import { FIVE_DAYS, FIVE_DAYS_ACROSS_MONTH_END as script } from './five-days-across-month-end.js';
import { setSandboxDay, type Workspace } from './scenario-harness.js';
import { PLAIN_TEXT_TOOL_ENV } from '../support/plain-text-tools.js';

/**
 * Issue 54's first "must show", through the built CLI: the five days across the March month end SYNCED from the
 * sandbox (the run's synced world, copied), posted to a UK Xero organisation and a UK QuickBooks company (the fakes
 * with their published UK tax tables; base currency USD, as the sandbox's sources are, so no rate is involved).
 * Ad income is zero-rated for the return (box 6), the panel's orders reverse-charged (boxes 1 and 4 cancel, so no
 * tax on the line), and the ad network's advertiser spend taken at 20 % so the tax has figures to tie out.
 * Ground truth, by hand from the world's script (five-days-across-month-end.ts) and the rounding (tax inside an
 * inclusive amount: amount × 20/120, to the cent, half to even):
 *   03-30 advertiser spend  4.25  → 4.25 × 20/120 = 0.7083… → 0.71 of VAT (INPUT2 / "20.0% S")
 *   04-02 advertiser spend  2.75  → 2.75 × 20/120 = 0.4583… → 0.46
 *   03-30 R-2 charged 0.90; 03-31 R-2 refunded 0.14 (0.14130), R-3 charged 0.04 (0.04551); 04-01 R-3 refunded 0.04:
 *         reverse-charged, 0.00 tax each (REVERSECHARGES / "20.0% RC SG")
 *   03-30 and 03-31 earnings 30.00 each; 04-02 1.00: zero-rated, 0.00 tax (ZERORATEDOUTPUT / "0.0% Z")
 * So 2026-03: INPUT2 0.71 (1 line), REVERSECHARGES 0.00 (3), ZERORATEDOUTPUT 0.00 (2); 2026-04: 0.46 (1), 0.00 (1), 0.00 (1).
 */
const XERO_TAX = [
  'tax:',
  '  publisher_earnings: [{ code: ZERORATEDOUTPUT, rate: 0, name: Zero Rated Income }]',
  '  advertiser_spend: [{ code: INPUT2, rate: 20, name: "20% (VAT on Expenses)" }]',
  '  order_charge: [{ code: REVERSECHARGES, rate: 0, name: Reverse Charge Expenses (20%) }]',
  '  order_refund: [{ code: REVERSECHARGES, rate: 0, name: Reverse Charge Expenses (20%) }]',
  '',
].join('\n');
const QUICKBOOKS_TAX = [
  'tax:',
  '  publisher_earnings: [{ code: 0.0% Z, rate: 0 }]',
  '  advertiser_spend: [{ code: "20.0% S", rate: 20 }]',
  '  order_charge: [{ code: "20.0% RC SG", rate: 0 }]',
  '  order_refund: [{ code: "20.0% RC SG", rate: 0 }]',
  'untaxedCode: "10"',
  '',
].join('\n');

const sortRows = (rows: (string | number)[][]) =>
  rows.sort((a, b) => `${a[0]} ${a[1]}`.localeCompare(`${b[0]} ${b[1]}`));

/** The tax rows `reconcile --with` and the report give, by hand (see above): period, code, lines, tax. */
const BY_HAND = (codes: { input: string; reverse: string; zero: string }) =>
  sortRows([
    ['2026-03', codes.input, 1, '0.71'],
    ['2026-03', codes.reverse, 3, '0.00'],
    ['2026-03', codes.zero, 2, '0.00'],
    ['2026-04', codes.input, 1, '0.46'],
    ['2026-04', codes.reverse, 1, '0.00'],
    ['2026-04', codes.zero, 1, '0.00'],
  ]);
const XERO_CODES = { input: 'INPUT2', reverse: 'REVERSECHARGES', zero: 'ZERORATEDOUTPUT' };
const QUICKBOOKS_CODES = { input: '20.0% S', reverse: '20.0% RC SG', zero: '0.0% Z' };
/** The UK company's TaxCode ids (sandbox/quickbooks/tax-codes.ts). */
const QUICKBOOKS_CODE_IDS: Record<string, string> = { '2': '20.0% S', '4': '0.0% Z', '14': '20.0% RC SG' };

interface TaxRowJson {
  period: string;
  code: string;
  lines: number;
  ledger: string;
  destination: string;
}

describe(
  'a UK month synced from the sandbox, posted with tax codes to a UK Xero organisation and a UK QuickBooks company',
  { timeout: 180_000 },
  () => {
    let sandbox: RunningSandbox;
    let xero: XeroFake;
    let quickbooks: QuickBooksFake;
    let workspace: Workspace;

    beforeAll(async () => {
      xero = createXeroFake({
        ...SANDBOX_DESTINATION_CREDENTIALS.xero,
        accounts: XERO_DEFAULT_ACCOUNTS,
        countryCode: 'GB',
        taxRates: XERO_UK_TAX_RATES,
      });
      quickbooks = createQuickBooksFake({
        ...SANDBOX_DESTINATION_CREDENTIALS.quickbooks,
        accounts: QUICKBOOKS_DEFAULT_ACCOUNTS,
        country: 'GB',
      });
      sandbox = await startSandbox({ port: 0, script, extraMounts: [xero, quickbooks] });
      await setSandboxDay(sandbox, FIVE_DAYS.at(-1)!);
      workspace = (await builtWorld({ name: 'synced', script, days: FIVE_DAYS })).copyFor(sandbox, 'uk-tax-month');
      const config = join(workspace.dir, 'ledgerline.yaml');
      writeFileSync(config, readFileSync(config, 'utf8').replace(/^( {4}region: ).*$/m, '$1UK'));
      appendFileSync(join(workspace.dir, 'mappings', 'xero.yaml'), XERO_TAX);
      appendFileSync(join(workspace.dir, 'mappings', 'quickbooks.yaml'), QUICKBOOKS_TAX);
      for (const destination of ['xero', 'quickbooks']) {
        const posted = await workspace.run(['post', destination]);
        expect(posted.code, posted.stderr + posted.stdout).toBe(0);
      }
    }, 180_000);

    afterAll(async () => {
      await sandbox?.close();
      workspace?.remove();
    });

    it("Xero stores each coded line with the ledger's code and tax, to the cent, posted Inclusive", () => {
      const journals = xero.journals();
      expect(journals).toHaveLength(9);
      const coded = journals.flatMap((journal) =>
        journal.lines
          .filter((line) => line.taxType !== 'NONE')
          .map((line) => [journal.date, line.accountCode, line.taxType, String(line.cents), String(line.taxCents)]),
      );
      expect(coded.sort()).toEqual(
        [
          ['2026-03-30', '400', 'INPUT2', '425', '71'],
          ['2026-03-30', '210', 'ZERORATEDOUTPUT', '-3000', '0'],
          ['2026-03-30', '410', 'REVERSECHARGES', '90', '0'],
          ['2026-03-31', '210', 'ZERORATEDOUTPUT', '-3000', '0'],
          ['2026-03-31', '410', 'REVERSECHARGES', '-14', '0'],
          ['2026-03-31', '410', 'REVERSECHARGES', '4', '0'],
          ['2026-04-01', '410', 'REVERSECHARGES', '-4', '0'],
          ['2026-04-02', '400', 'INPUT2', '275', '46'],
          ['2026-04-02', '210', 'ZERORATEDOUTPUT', '-100', '0'],
        ].sort(),
      );
      // Every journal with a coded line says how its amounts carry tax; the opening balance, coding none, stays NoTax.
      expect(journals.map((journal) => `${journal.date} ${journal.lineAmountTypes}`).sort()).toEqual([
        '2026-03-29 NoTax',
        '2026-03-30 Inclusive',
        '2026-03-30 Inclusive',
        '2026-03-30 Inclusive',
        '2026-03-31 Inclusive',
        '2026-03-31 Inclusive',
        '2026-04-01 Inclusive',
        '2026-04-02 Inclusive',
        '2026-04-02 Inclusive',
      ]);
    });

    it("QuickBooks stores each income and expense line with the ledger's TaxCodeRef, side and tax, to the cent", () => {
      const entries = quickbooks.journalEntries();
      expect(entries).toHaveLength(9);
      expect(entries.every((entry) => entry.globalTaxCalculation === 'TaxInclusive')).toBe(true);
      const coded = entries.flatMap((entry) =>
        entry.lines.flatMap((line) =>
          line.tax === undefined
            ? []
            : [
                [
                  entry.txnDate,
                  line.postingType,
                  String(line.cents),
                  QUICKBOOKS_CODE_IDS[line.tax.taxCodeId] ?? line.tax.taxCodeId,
                  line.tax.applicableOn,
                  String(line.tax.taxCents),
                ],
              ],
        ),
      );
      expect(coded.sort()).toEqual(
        [
          ['2026-03-30', 'Debit', '425', '20.0% S', 'Purchase', '71'],
          ['2026-03-30', 'Credit', '3000', '0.0% Z', 'Sales', '0'],
          ['2026-03-30', 'Debit', '90', '20.0% RC SG', 'Purchase', '0'],
          ['2026-03-31', 'Credit', '3000', '0.0% Z', 'Sales', '0'],
          ['2026-03-31', 'Credit', '14', '20.0% RC SG', 'Purchase', '0'],
          ['2026-03-31', 'Debit', '4', '20.0% RC SG', 'Purchase', '0'],
          ['2026-04-01', 'Credit', '4', '20.0% RC SG', 'Purchase', '0'],
          ['2026-04-02', 'Debit', '275', '20.0% S', 'Purchase', '46'],
          ['2026-04-02', 'Credit', '100', '0.0% Z', 'Sales', '0'],
        ].sort(),
      );
    });

    it('reconcile --with ties the tax out per period and code at both, with no tax item', async () => {
      for (const [destination, codes] of [
        ['xero', XERO_CODES],
        ['quickbooks', QUICKBOOKS_CODES],
      ] as const) {
        const run = await workspace.run(['reconcile', '--with', destination, '--json']);
        const report = JSON.parse(run.stdout) as { items: { kind: string }[]; tax: { rows: TaxRowJson[] } };
        expect(report.items, destination).toEqual([]);
        expect(run.code, destination).toBe(0);
        expect(report.tax.rows.map((row) => [row.period, row.code, row.lines, row.ledger])).toEqual(BY_HAND(codes));
        expect(report.tax.rows.every((row) => row.destination === row.ledger)).toBe(true);
      }
    });

    it("the report's tax summary per period and code equals the tax the fakes stored", async () => {
      const run = await workspace.run(['report', '--out', 'report.html']);
      expect(run.code, run.stderr).toBe(0);
      const html = readFileSync(join(workspace.dir, 'report.html'), 'utf8');
      const data = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1];
      const summaries = (
        JSON.parse(data!) as {
          tax: { destination: string; rows: { period: string; code: string; lines: number; tax: string }[] }[];
        }
      ).tax;
      expect(summaries.map((summary) => summary.destination)).toEqual(['xero', 'quickbooks']);
      const stored = {
        xero: xero
          .journals()
          .flatMap((journal) =>
            journal.lines
              .filter((line) => line.taxType !== 'NONE')
              .map((line) => ({ period: journal.date.slice(0, 7), code: line.taxType, cents: line.taxCents })),
          ),
        quickbooks: quickbooks.journalEntries().flatMap((entry) =>
          entry.lines.flatMap((line) =>
            line.tax === undefined
              ? []
              : [
                  {
                    period: entry.txnDate.slice(0, 7),
                    code: QUICKBOOKS_CODE_IDS[line.tax.taxCodeId]!,
                    cents: line.postingType === 'Debit' ? line.tax.taxCents : -line.tax.taxCents,
                  },
                ],
          ),
        ),
      };
      for (const summary of summaries) {
        const sums = new Map<string, { lines: number; cents: bigint }>();
        for (const line of stored[summary.destination as keyof typeof stored]) {
          const sum = sums.get(`${line.period} ${line.code}`) ?? { lines: 0, cents: 0n };
          sums.set(`${line.period} ${line.code}`, { lines: sum.lines + 1, cents: sum.cents + line.cents });
        }
        const fromFake = sortRows(
          [...sums].map(([key, sum]) => [
            ...key.split(/ (.*)/s).slice(0, 2),
            sum.lines,
            (Number(sum.cents) / 100).toFixed(2),
          ]),
        );
        expect(summary.rows.map((row) => [row.period, row.code, row.lines, row.tax])).toEqual(fromFake);
        expect(fromFake).toEqual(BY_HAND(summary.destination === 'xero' ? XERO_CODES : QUICKBOOKS_CODES));
      }
      expect(html).toContain('<section id="tax"><h2>Tax per code</h2>');
    });

    it('the exports carry the codes: Xero the rate names, QuickBooks its codes, generic a tax_code column, hledger and Beancount a posting tag the tools accept', async () => {
      const exported = async (format: string, ...more: string[]): Promise<string> => {
        const path = join(workspace.dir, `books-${format}.txt`);
        const run = await workspace.run(['export', '--format', format, '--out', path, ...more]);
        expect(run.code, run.stderr).toBe(0);
        return readFileSync(path, 'utf8');
      };
      const xeroCsv = (await exported('xero')).split('\r\n');
      expect(xeroCsv.filter((row) => row.includes(',30/03/2026,') && row.includes(',400,'))).toEqual([
        expect.stringContaining(',400,20% (VAT on Expenses),4.25,'),
      ]);
      const quickbooksCsv = await exported('quickbooks');
      expect(quickbooksCsv.split('\r\n')[0]).toMatch(/,Tax Code$/);
      expect(quickbooksCsv).toMatch(/03\/30\/2026,[^\r\n]*,4\.25,,[^\r\n]*,20\.0% S\r\n/);

      // Both mappings code flows: the export must be told whose codes to write.
      const ambiguous = await workspace.run(['export', '--format', 'generic']);
      expect([ambiguous.code, ambiguous.stderr]).toEqual([2, expect.stringContaining('--tax-of xero')]);
      const generic = (await exported('generic', '--tax-of', 'xero')).split('\r\n');
      expect(generic[0]).toBe('journal_id,date,account,debit,credit,currency,description,source,source_ref,tax_code');
      expect(generic.filter((row) => row.startsWith('je:smm-panel:2026-03-31,'))).toEqual([
        expect.stringMatching(/^je:smm-panel:2026-03-31,2026-03-31,panel_prepaid,0\.14,.*,$/),
        expect.stringMatching(/^je:smm-panel:2026-03-31,2026-03-31,smm_services_expense,,0\.14,.*,REVERSECHARGES$/),
        expect.stringMatching(/^je:smm-panel:2026-03-31,2026-03-31,smm_services_expense,0\.04,.*,REVERSECHARGES$/),
        expect.stringMatching(/^je:smm-panel:2026-03-31,2026-03-31,panel_prepaid,,0\.04,.*,$/),
      ]);

      const hledgerFile = join(workspace.dir, 'books-hledger.txt');
      const hledger = await exported('hledger', '--tax-of', 'quickbooks');
      expect(hledger).toContain('    expenses:advertising_expense:ads-advertiser  4.25 USD  ; tax:20.0% S\n');
      execFileSync('hledger', ['-f', hledgerFile, 'check'], { encoding: 'utf8', env: PLAIN_TEXT_TOOL_ENV });
      // hledger reads the tags: the advertiser spend coded 20.0% S, 4.25 + 2.75.
      const tagged = execFileSync(
        'hledger',
        ['-f', hledgerFile, 'balance', '--flat', '--no-total', 'tag:tax=20.0% S'],
        { encoding: 'utf8', env: PLAIN_TEXT_TOOL_ENV },
      );
      expect(tagged.trim()).toMatch(/^7\.0+ USD  expenses:advertising_expense:ads-advertiser$/);
      const beancount = await exported('beancount', '--tax-of', 'xero');
      expect(beancount).toContain('    Expenses:Advertising-expense:Ads-advertiser  4.25 USD\n      tax: "INPUT2"\n');
      execFileSync('bean-check', [join(workspace.dir, 'books-beancount.txt')], {
        encoding: 'utf8',
        env: PLAIN_TEXT_TOOL_ENV,
      });
    });

    it('the night re-reading closed March names the journal whose tax was re-coded at Xero, as reconcile --with does', async () => {
      const config = join(workspace.dir, 'ledgerline.yaml');
      writeFileSync(
        config,
        readFileSync(config, 'utf8').replace(/^ {2}# command: .*$/m, '  command: "cat > alert-$$.json"'),
      );
      const accepted = await workspace.run([
        'transit',
        'accept',
        'payelancer:ads-publisher:payout:2026-03-31',
        '--note',
        'in the bank on 04-02',
      ]);
      expect(accepted.code, accepted.stderr).toBe(0);
      xero.setLockDates({ periodLockDate: '2026-03-31' });
      quickbooks.setBookCloseDate('2026-03-31');
      const closed = await workspace.run(['close', '--period', '2026-03']);
      expect(closed.code, closed.stdout + closed.stderr).toBe(0);
      // Someone past the lock re-codes the 30th's advertising spend to No VAT: the amounts stay, the 0.71 of VAT goes.
      const spend = xero.journals().find((journal) => journal.narration.endsWith('[je:ads-advertiser:2026-03-30]'))!;
      xero.editJournal(spend.manualJournalId, { lines: spend.lines });
      const expected = `Xero journal ${spend.manualJournalId} for entry je:ads-advertiser:2026-03-30 (2026-03-30) holds 0.00 of INPUT2 tax; the ledger computes 0.71 at the mapping's rate`;

      const night = await workspace.run(['schedule', '--once']);
      const files = readdirSync(workspace.dir).filter((name) => name.startsWith('alert-'));
      const alerted = files.flatMap(
        (name) =>
          (
            JSON.parse(readFileSync(join(workspace.dir, name), 'utf8')) as {
              items: { kind: string; message: string }[];
            }
          ).items,
      );
      expect(night.code, night.stderr).toBe(1);
      expect(alerted.filter((item) => item.kind === 'tax_differs_at_destination').map((item) => item.message)).toEqual([
        expect.stringContaining(expected),
      ]);
      expect(alerted.filter((item) => item.kind === 'closed_period_changed_at_destination')).toEqual([]);

      const tieOut = await workspace.run(['reconcile', '--with', 'xero', '--json']);
      const items = (JSON.parse(tieOut.stdout) as { items: { kind: string; message: string }[] }).items;
      expect(items.filter((item) => item.kind === 'tax_differs_at_destination').map((item) => item.message)).toEqual([
        expect.stringContaining(expected),
      ]);
    });
  },
);
