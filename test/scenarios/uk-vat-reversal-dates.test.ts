import { describe, expect, it } from 'vitest';
import { useUkVatMonth } from './uk-vat-month.js';

/**
 * Issue 70, item 2 ("a refund takes the code its original flow had on the original's date"), through the built CLI on
 * the sandbox's five days across the March month end, in GBP books: the panel charged UK VAT (INPUT2 at 20 %) until
 * 2026-03-30 and is reverse-charged from 2026-03-31 (a dated rule). Order R-2 is charged 0.90 on 03-30 and refunded
 * 0.14130 on 03-31, after the change: the refund takes INPUT2, its charge's rule, not the REVERSECHARGES of its own
 * day. By hand: 0.14 × 20 / 120 = 0.02 of input VAT comes back, 0.12 net; at the destinations, the 0.14 USD line is
 * 0.11 GBP at 0.79, whose tax is 0.02 (0.11 × 20 / 120 = 0.018). R-3, charged on 03-31 and refunded on 04-01, is
 * reverse-charged both ways.
 */
const CHART_TAX = [
  'tax:',
  '  order_charge:',
  '    - { code: INPUT2, rate: 20 }',
  '    - { code: REVERSECHARGES, rate: 20, reverseCharge: true, from: 2026-03-31 }',
  '',
].join('\n');
const QUICKBOOKS_CODES = [
  'taxCodes:',
  '  INPUT2: "20.0% S"',
  '  REVERSECHARGES: "20.0% RC SG"',
  'untaxedCode: "No VAT"',
  '',
].join('\n');
const QUICKBOOKS_CODE_IDS: Record<string, string> = { '2': 'INPUT2', '14': 'REVERSECHARGES' };

describe(
  "a refund after a change of rule is coded by its charge's rule, in the ledger and at both destinations",
  { timeout: 180_000 },
  () => {
    const month = useUkVatMonth('uk-vat-reversal-dates', { chart: CHART_TAX, quickbooksCodes: QUICKBOOKS_CODES });

    it("the ledger's tax line of the refund is its charge's INPUT2, on a line saying the charge's day", async () => {
      const exported = await month.workspace.run(['export', '--format', 'generic', '--tax-of', 'xero']);
      expect(exported.code, exported.stderr).toBe(0);
      const rows = exported.stdout
        .split('\r\n')
        .filter((row) => row.startsWith('je:smm-panel:2026-03-31,'))
        .map((row) => row.split(','));
      // R-2's refund 0.14130 at INPUT2: 0.12 net and 0.02 of input VAT back, on its own line naming its charge's day;
      // R-3's 0.04551 charge (0.04) reverse-charged, legs of 0.01 each way.
      expect(rows.map((cells) => [cells[2], cells[3] || `-${cells[4]}`, cells.at(-1)])).toEqual([
        ['panel_prepaid', '0.14', ''],
        ['smm_services_expense', '-0.12', 'INPUT2'],
        ['vat_input', '-0.02', ''],
        ['smm_services_expense', '0.04', 'REVERSECHARGES'],
        ['vat_input', '0.01', ''],
        ['vat_output', '-0.01', ''],
        ['panel_prepaid', '-0.04', ''],
      ]);
      expect(exported.stdout).toContain('SMM panel order refunds (original of 2026-03-30)');
    });

    it('Xero and QuickBooks receive the refund coded INPUT2 with its tax, the charge of the same day REVERSECHARGES', () => {
      const journal = month.xero.journals().find((held) => held.narration.endsWith('[je:smm-panel:2026-03-31]'))!;
      // 0.14 USD → 0.11 GBP at 0.79, holding 0.02 of VAT at 20 %; 0.04 → 0.03, reverse-charged, no tax on the line.
      expect(
        journal.lines.map((line) => [line.accountCode, line.taxType, String(line.cents), String(line.taxCents)]),
      ).toEqual([
        ['621', 'NONE', '11', '0'],
        ['410', 'INPUT2', '-11', '-2'],
        ['410', 'REVERSECHARGES', '3', '0'],
        ['621', 'NONE', '-3', '0'],
      ]);
      const entry = month.quickbooks
        .journalEntries()
        .find((held) => held.privateNote?.includes('je:smm-panel:2026-03-31') === true)!;
      expect(
        entry.lines.flatMap((line) =>
          line.tax === undefined
            ? []
            : [[line.postingType, QUICKBOOKS_CODE_IDS[line.tax.taxCodeId], String(line.tax.taxCents)]],
        ),
      ).toEqual([
        ['Credit', 'INPUT2', '2'],
        ['Debit', 'REVERSECHARGES', '0'],
      ]);
    });

    it('reconcile --with finds no tax difference, and vat takes the 0.02 back out of box 4', async () => {
      for (const destination of ['xero', 'quickbooks']) {
        const run = await month.workspace.run(['reconcile', '--with', destination, '--json']);
        const report = JSON.parse(run.stdout) as { items: { kind: string }[] };
        expect(
          report.items.filter((item) => item.kind === 'tax_differs_at_destination'),
          destination,
        ).toEqual([]);
      }
      const run = await month.workspace.run(['vat', '--period', '2026-03', '--json']);
      expect(run.code, run.stderr).toBe(0);
      const boxes = (JSON.parse(run.stdout) as { boxes: Record<string, string> }).boxes;
      // In GBP at 0.79: 03-30's R-2 charge 0.71 at INPUT2 → 0.12 in box 4, 0.59 in box 7; 03-31's refund 0.11 at
      // INPUT2 → −0.02 and −0.09 (at REVERSECHARGES it would have left box 4 at 0.13); R-3's 0.03 reverse-charged →
      // 0.01 in boxes 1 and 4, 0.03 in boxes 6 and 7.
      expect(boxes).toMatchObject({ '1': '0.01', '4': '0.11', '5': '-0.10', '6': '0.03', '7': '0.53' });
    });
  },
);
