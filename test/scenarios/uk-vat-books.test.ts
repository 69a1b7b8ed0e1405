import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveInProcess } from '../support/serve-in-process.js';
import { useUkVatMonth } from './uk-vat-month.js';

/**
 * Issue 70, through the built CLI: the ledger books the tax. The chart's own `tax:` (mappings/default.yaml) codes
 * the sandbox's five days across the March month end: a GBP ledger whose panel is in USD, ad earnings at 20 %
 * (OUTPUT2), advertiser spend reverse-charged at 20 %, the panel's orders at 20 % (INPUT2). Posted to a GBP Xero
 * organisation and a GBP QuickBooks company (both UK, the panel's USD converted at a fixed 0.79): each destination maps
 * the ledger's codes to its own (xero.yaml none, they are Xero's; quickbooks.yaml `taxCodes:`).
 * By hand: 03-30 earnings of 30.00 → 30.00 × 20/120 = 5.00 of VAT, 25.00 net; advertiser spend 4.25 reverse-charged
 * → 0.85 on each VAT account, the line whole; the panel's 0.90 USD order → 0.15 of VAT, 0.75 net.
 */
const CHART_TAX = [
  'tax:',
  '  publisher_earnings: [{ code: OUTPUT2, rate: 20 }]',
  '  advertiser_spend: [{ code: REVERSECHARGES, rate: 20, reverseCharge: true }]',
  '  order_charge: [{ code: INPUT2, rate: 20 }]',
  '  order_refund: [{ code: INPUT2, rate: 20 }]',
  '  bank_fees: [{ code: INPUT2, rate: 20 }]',
  '',
].join('\n');
const QUICKBOOKS_CODES = [
  'taxCodes:',
  '  OUTPUT2: "20.0% S"',
  '  INPUT2: "20.0% S"',
  '  REVERSECHARGES: "20.0% RC SG"',
  '',
].join('\n');

interface ReconcileJson {
  items: { kind: string; message: string }[];
  tax: { rows: { period: string; code: string; lines: number; ledger: string; destination: string }[] };
}

describe(
  'a UK month booked with its tax in the ledger, from USD sources, posted to GBP organisations',
  { timeout: 180_000 },
  () => {
    const month = useUkVatMonth('uk-vat-books', { chart: CHART_TAX, quickbooksCodes: QUICKBOOKS_CODES });

    it('every coded line books its net and its tax; a reverse charge both legs, the line whole', async () => {
      const exported = await month.workspace.run(['export', '--format', 'generic', '--tax-of', 'xero']);
      expect(exported.code, exported.stderr).toBe(0);
      const generic = exported.stdout.split('\r\n');
      const day = (id: string) =>
        generic.filter((row) => row.startsWith(`${id},`)).map((row) => row.split(',').slice(2, 5));
      expect(day('je:ads-advertiser:2026-03-30')).toEqual([
        ['advertising_expense', '4.25', ''],
        ['vat_input', '0.85', ''],
        ['vat_output', '', '0.85'],
        ['payelancer_prepaid', '', '4.25'],
      ]);
      expect(day('je:ads-publisher:2026-03-30')).toEqual([
        ['payelancer_receivable', '30.00', ''],
        ['ad_revenue', '', '25.00'],
        ['vat_output', '', '5.00'],
      ]);
      expect(day('je:smm-panel:2026-03-30')).toEqual([
        ['smm_services_expense', '0.75', ''],
        ['vat_input', '0.15', ''],
        ['panel_prepaid', '', '0.90'],
      ]);
    });

    it('Xero and QuickBooks get the coded gross line, never a line on their VAT account', () => {
      const lines = (entryId: string) =>
        month.xero
          .journals()
          .find((journal) => journal.narration.endsWith(`[${entryId}]`))!
          .lines.map((line) => [line.accountCode, line.taxType, String(line.cents), String(line.taxCents)]);
      // The ledger's 0.75 + 0.15 USD is one 0.90 line; at 0.79 it is 0.71 GBP, of which Xero takes 0.71 × 20/120 = 0.12.
      expect(lines('je:smm-panel:2026-03-30')).toEqual([
        ['410', 'INPUT2', '71', '12'],
        ['621', 'NONE', '-71', '0'],
      ]);
      // A reverse charge's two legs fold away: the 4.25 line whole, no tax on it.
      expect(lines('je:ads-advertiser:2026-03-30')).toEqual([
        ['400', 'REVERSECHARGES', '425', '0'],
        ['622', 'NONE', '-425', '0'],
      ]);
      expect(lines('je:ads-publisher:2026-03-30')).toEqual([
        ['611', 'NONE', '3000', '0'],
        ['210', 'OUTPUT2', '-3000', '-500'],
      ]);
      const journals = month.xero.journals();
      expect(journals.every((journal) => journal.lines.every((line) => line.accountCode !== '820'))).toBe(true);
      const entries = month.quickbooks.journalEntries();
      expect(entries.every((entry) => entry.lines.every((line) => line.accountId !== '16'))).toBe(true);
      expect(entries.every((entry) => entry.globalTaxCalculation === 'TaxInclusive')).toBe(true);
    });

    it('reconcile --with: no tax difference and no balance difference at either, the VAT account included', async () => {
      for (const destination of ['xero', 'quickbooks']) {
        const run = await month.workspace.run(['reconcile', '--with', destination, '--json']);
        const report = JSON.parse(run.stdout) as ReconcileJson;
        expect(report.items, destination).toEqual([]);
        expect(run.code, destination).toBe(0);
        expect(report.tax.rows.length, destination).toBeGreaterThan(0);
        expect(report.tax.rows.every((row) => row.ledger === row.destination)).toBe(true);
      }
      const xeroRun = await month.workspace.run(['reconcile', '--with', 'xero', '--json']);
      const rows = (JSON.parse(xeroRun.stdout) as ReconcileJson).tax.rows;
      // Worked on the converted lines, as Xero works them: 03-30's 0.71 GBP holds 0.12, 03-31's refund of 0.11 holds
      // 0.02 back and its 0.03 charge none: 0.10 (the unconverted USD lines would give 0.15 − 0.02 + 0.01 = 0.14).
      expect(rows.find((row) => row.period === '2026-03' && row.code === 'INPUT2')?.ledger).toBe('0.10');
      expect(rows.find((row) => row.period === '2026-03' && row.code === 'OUTPUT2')?.ledger).toBe('-10.00');
    });

    it("the ledger's GBP revenue and the VAT on it equal the organisation's ad revenue and the tax it split out", async () => {
      const exported = await month.workspace.run(['export', '--format', 'generic', '--tax-of', 'xero']);
      const ledger = (account: string) =>
        exported.stdout
          .split('\r\n')
          .map((row) => row.split(','))
          .filter((cells) => cells[2] === account && cells[0]!.startsWith('je:ads-publisher:'))
          .reduce(
            (sum, cells) => sum + Math.round(Number(cells[3] || 0) * 100) - Math.round(Number(cells[4] || 0) * 100),
            0,
          );
      const revenue = month.xero
        .journals()
        .flatMap((journal) => journal.lines)
        .filter((line) => line.accountCode === '210');
      // Earnings 30.00 + 30.00 + 1.00: the ledger books 25.00 + 25.00 + 0.83 net and 5.00 + 5.00 + 0.17 of VAT.
      expect([ledger('ad_revenue'), ledger('vat_output')]).toEqual([-5083, -1017]);
      expect(String(revenue.reduce((sum, line) => sum + line.cents - line.taxCents, 0n))).toBe('-5083');
      expect(String(revenue.reduce((sum, line) => sum + line.taxCents, 0n))).toBe('-1017');
    });

    it("vat --period prints the UK return's nine boxes from the ledger's own tax lines", async () => {
      const run = await month.workspace.run(['vat', '--period', '2026-03', '--json']);
      expect(run.code, run.stderr).toBe(0);
      // March in GBP: earnings 30.00 + 30.00 at 20 % → 5.00 + 5.00 of output VAT, 50.00 net; advertiser spend 4.25
      // reverse-charged → 0.85 in box 1 and box 4, 4.25 in boxes 6 and 7. The panel's USD entries count converted at
      // 0.79 as their journals went out (the tie-out's INPUT2 0.10 above): 03-30's 0.71 GBP holds 0.12 (0.59 net),
      // 03-31's refund of 0.11 holds 0.02 back (0.09 net) and its 0.03 charge none → box 4 0.85 + 0.10 = 0.95,
      // box 7 4.25 + 0.59 − 0.09 + 0.03 = 4.78, box 5 10.85 − 0.95 = 9.90.
      expect(JSON.parse(run.stdout)).toEqual({
        period: '2026-03',
        from: '2026-03-01',
        to: '2026-03-31',
        currency: 'GBP',
        boxes: {
          '1': '10.85',
          '2': '0.00',
          '3': '10.85',
          '4': '0.95',
          '5': '9.90',
          '6': '54.25',
          '7': '4.78',
          '8': '0.00',
          '9': '0.00',
        },
        otherCurrencies: [],
      });
      const quarter = await month.workspace.run(['vat', '--period', '2026-Q1']);
      expect(quarter.stdout).toContain('VAT return 2026-Q1 (2026-01-01 to 2026-03-31), GBP');
      expect(quarter.stdout).toMatch(/Box 5 {2}net VAT to pay.* 9\.90\n/);
      const wrong = await month.workspace.run(['vat', '--period', '2026-13']);
      expect([wrong.code, wrong.stderr]).toEqual([2, expect.stringContaining('--period 2026-13: give a quarter')]);
    });

    it("the console's VAT page shows the period's boxes and the tax per code, linked from the console's bar", async () => {
      const serve = await serveInProcess(['--port', '0', '--config', join(month.workspace.dir, 'ledgerline.yaml')], {
        cwd: month.workspace.dir,
        env: month.workspace.env,
      });
      try {
        const home = await (await fetch(new URL('/', serve.url))).text();
        expect(home).toContain('<a href="/vat">VAT return</a>');
        const response = await fetch(new URL('/vat?period=2026-03', serve.url));
        expect(response.status).toBe(200);
        const html = await response.text();
        const rows = (id: string) =>
          [
            ...(new RegExp(`<table id="${id}">.*?<tbody>(.*?)</tbody>`, 's').exec(html)?.[1] ?? '').matchAll(
              /<tr>(.*?)<\/tr>/gs,
            ),
          ].map((row) => [...row[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((cell) => cell[1]!));
        // The boxes `vat --period 2026-03` prints (above), the panel's USD lines converted.
        expect(rows('vat-boxes').map((row) => [row[0], row[2]])).toEqual([
          ['1', '10.85'],
          ['2', '0.00'],
          ['3', '10.85'],
          ['4', '0.95'],
          ['5', '9.90'],
          ['6', '54.25'],
          ['7', '4.78'],
          ['8', '0.00'],
          ['9', '0.00'],
        ]);
        // Per code, debit positive: OUTPUT2's 60.00 of sales hold 10.00 (box 1 less the reverse charge's 0.85);
        // INPUT2's 0.71 − 0.11 + 0.03 GBP hold 0.10 (the tie-out's figure); the reverse charge's 4.25 holds none.
        expect(rows('vat-codes')).toEqual([
          ['2026-03', 'INPUT2', '3', '0.63', '0.10', '0.53'],
          ['2026-03', 'OUTPUT2', '2', '-60.00', '-10.00', '-50.00'],
          ['2026-03', 'REVERSECHARGES', '1', '4.25', '0.00', '4.25'],
        ]);
        // Not filed yet: the page says so and how (vat file); a filed period shows vat's filing line instead.
        expect(/<p id="vat-filed"[^>]*>(.*?)<\/p>/s.exec(html)?.[1]).toContain('Not filed');
        const wrong = await fetch(new URL('/vat?period=2026-13', serve.url));
        expect([wrong.status, await wrong.text()]).toEqual([
          400,
          expect.stringContaining('period=2026-13: give a quarter'),
        ]);
      } finally {
        await serve.stop();
      }
    });

    it('an adjusting entry on a coded account books net and VAT, reaches both destinations coded, and vat counts it', async () => {
      const adjusted = await month.workspace.run([
        'adjust',
        '--date',
        '2026-04-02',
        '--debit',
        'bank_fees=12.00',
        '--credit',
        'suspense=12.00',
        '--reason',
        'the bank charge of the April statement',
      ]);
      expect(adjusted.code, adjusted.stderr).toBe(0);
      // tax.bank_fees INPUT2 at 20 %: 12.00 × 20 / 120 = 2.00 reclaimable, 10.00 net.
      expect(adjusted.stdout).toMatch(/Dr bank_fees +10\.00 GBP\n +Dr vat_input +2\.00 GBP\n +Cr suspense +12\.00 GBP/);
      for (const destination of ['xero', 'quickbooks']) {
        const posted = await month.workspace.run(['post', destination]);
        expect(posted.code, posted.stderr + posted.stdout).toBe(0);
      }
      const journal = month.xero
        .journals()
        .find((held) => held.narration.includes('the bank charge of the April statement'))!;
      expect(journal.lines.map((line) => [line.taxType, String(line.cents), String(line.taxCents)])).toEqual([
        ['INPUT2', '1200', '200'],
        ['NONE', '-1200', '0'],
      ]);
      const entry = month.quickbooks
        .journalEntries()
        .find((held) => held.privateNote?.includes('the bank charge of the April statement') === true)!;
      expect(entry.lines.flatMap((line) => (line.tax === undefined ? [] : [String(line.tax.taxCents)]))).toEqual([
        '200',
      ]);
      const april = await month.workspace.run(['vat', '--period', '2026-04', '--json']);
      const boxes = (JSON.parse(april.stdout) as { boxes: Record<string, string> }).boxes;
      // April by hand: earnings 1.00 at OUTPUT2 → 0.17 and 0.83; spend 2.75 reverse-charged → 0.55 in boxes 1 and 4,
      // 2.75 in 6 and 7; R-3's refund of 04-01, 0.03 GBP, holds no tax (0.005 → 0.00); and the adjustment's 2.00 in
      // box 4 and 10.00 in box 7: box 4 0.55 + 2.00, box 7 2.75 − 0.03 + 10.00.
      expect(boxes).toMatchObject({ '1': '0.72', '4': '2.55', '6': '3.58', '7': '12.72' });
      for (const destination of ['xero', 'quickbooks']) {
        const run = await month.workspace.run(['reconcile', '--with', destination, '--json']);
        const report = JSON.parse(run.stdout) as ReconcileJson;
        expect(report.items, destination).toEqual([]);
      }
    });

    it('vat makes the return of destinations.xero.region: AU, the BAS from the same tax lines', async () => {
      const config = join(month.workspace.dir, 'ledgerline.yaml');
      const uk = readFileSync(config, 'utf8');
      writeFileSync(config, uk.replace(/^( {4}region: )UK$/m, '$1AU'));
      try {
        const run = await month.workspace.run(['vat', '--period', '2026-03', '--json']);
        expect(run.code, run.stderr).toBe(0);
        // G1: 50.00 net of sales + their 10.00 of tax (the reverse charge's 4.25 and 0.85 are no sale) = 60.00;
        // 1A: all of vat_output, 10.85; 1B: all of vat_input, 0.95 (the panel's converted); 1A − 1B: 9.90, as box 5.
        const bas = JSON.parse(run.stdout) as {
          region: string;
          form: string;
          boxes: { box: string; amount: string }[];
        };
        expect([bas.region, bas.form]).toEqual(['AU', 'BAS']);
        expect(bas.boxes.map(({ box, amount }) => [box, amount])).toEqual([
          ['G1', '60.00'],
          ['1A', '10.85'],
          ['1B', '0.95'],
          ['1A-1B', '9.90'],
        ]);
      } finally {
        writeFileSync(config, uk);
      }
    });
  },
);
