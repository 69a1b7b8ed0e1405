import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forgetAfter0038 } from '../support/forget-after-0035.js';
import { LEDGER_ENGINES, rawTransaction, readBooks, useLedgerEngines } from '../support/ledger-engines.js';
import { useUkVatMonth } from './uk-vat-month.js';

/**
 * Issue 82, item 1, through the built CLI: entries booked before each line kept its tax treatment (migration 0039)
 * are given theirs from the rules in force on their dates, once, by the new version's first run, which says so. The
 * UK sandbox month (uk-vat-month.ts) is booked and Q1 filed; then 0039 is forgotten with its rows, as a ledger booked
 * and filed on the previous version is. `migrate` gives each entry its treatment from the chart as configured then;
 * after that an account-only re-map of order charges and refunds (booked-tax-after-remap.test.ts) leaves the filed
 * return as filed.
 */
const CHART_TAX = [
  'tax:',
  '  publisher_earnings: [{ code: OUTPUT2, rate: 20 }]',
  '  advertiser_spend: [{ code: REVERSECHARGES, rate: 20, reverseCharge: true }]',
  '  order_charge: [{ code: REVERSECHARGES, rate: 20, reverseCharge: true }]',
  '  order_refund: [{ code: REVERSECHARGES, rate: 20, reverseCharge: true }]',
  '',
].join('\n');
const QUICKBOOKS_CODES = [
  'taxCodes:',
  '  OUTPUT2: "20.0% S"',
  '  INPUT2: "20.0% S"',
  '  REVERSECHARGES: "20.0% RC SG"',
  'untaxedCode: "No VAT"',
  '',
].join('\n');

/** Q1's boxes, worked by hand in booked-tax-after-remap.test.ts: 10.00 of VAT on 50.00 of earnings, 4.88 reverse-charged. */
const Q1_BOXES = {
  '1': '10.98',
  '2': '0.00',
  '3': '10.98',
  '4': '0.98',
  '5': '10.00',
  '6': '54.88',
  '7': '4.88',
  '8': '0.00',
  '9': '0.00',
};

const engines = useLedgerEngines();

describe.each(LEDGER_ENGINES)(
  'a ledger booked and filed before lines kept their tax treatment (%s)',
  { timeout: 240_000 },
  (engine) => {
    const month = useUkVatMonth(
      `booked-before-0039-${engine}`,
      { chart: CHART_TAX, quickbooksCodes: QUICKBOOKS_CODES },
      { ledger: () => engines.fresh(engine) },
    );

    it('gives each entry its treatment from the rules in force on its date, once, says so, and a re-map then leaves the filed return as filed', async () => {
      const { workspace } = month;
      const filing = await workspace.run(['vat', 'file', '--period', '2026-Q1', '--json']);
      expect(filing.code, filing.stderr).toBe(0);
      expect((JSON.parse(filing.stdout) as { boxes: unknown }).boxes).toEqual(Q1_BOXES);
      await rawTransaction(workspace.ledger, forgetAfter0038(workspace.ledger));
      const entries = await readBooks(workspace.ledger, (books) => books.rows('journal_entries', 'id'));
      const dates = entries.map((entry) => (entry as { date: string }).date).sort();

      const first = await workspace.run(['migrate']);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain(
        `line tax treatments: ${entries.length} entries booked earlier given theirs from the rules in force on their dates ` +
          `(${dates[0]} … ${dates[dates.length - 1]})`,
      );
      const treated = await readBooks(workspace.ledger, (books) => books.rows('journal_line_taxes', 'entry_id'));
      expect(new Set(treated.map((row) => (row as { entry_id: string }).entry_id)).size).toBe(entries.length);
      // The panel's 0.71 GBP of SMM services of 03-30 (0.90 USD), reverse-charged, its base the line as booked.
      expect(treated).toContainEqual(
        expect.objectContaining({ flow: 'order_charge', code: 'REVERSECHARGES', side: 'purchases', rate: '20' }),
      );
      expect(treated).toContainEqual(expect.objectContaining({ flow: 'publisher_earnings', code: 'OUTPUT2' }));
      // Once: the next run finds nothing waiting and says nothing of it.
      const again = await workspace.run(['migrate']);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).not.toContain('line tax treatments');

      // The guard stays for everything else: a late row for an entry already booked is refused.
      const [booked] = entries as { id: string }[];
      await expect(
        rawTransaction(workspace.ledger, [
          `INSERT INTO journal_line_taxes (entry_id, line_no) VALUES ('${booked!.id}', 99)`,
        ]),
      ).rejects.toThrow(/tax treatments of its lines cannot be added/);

      const chart = join(workspace.dir, 'mappings', 'default.yaml');
      writeFileSync(
        chart,
        readFileSync(chart, 'utf8')
          .replace(
            /^( {2}smm_services_expense: .*)$/m,
            '$1\n  smm_order_costs:          { type: expense,   name: SMM order costs }',
          )
          .replace(
            'debit: smm_services_expense\n    credit: panel_prepaid',
            'debit: smm_order_costs\n    credit: panel_prepaid',
          )
          .replace(
            'debit: panel_prepaid\n    credit: smm_services_expense',
            'debit: panel_prepaid\n    credit: smm_order_costs',
          ),
      );
      const beside = (file: string, account: string) => {
        const path = join(workspace.dir, 'mappings', file);
        writeFileSync(
          path,
          readFileSync(path, 'utf8').replace(
            /^( {2}smm_services_expense: .*)$/m,
            `$1\n  smm_order_costs:          ${account}`,
          ),
        );
      };
      beside('xero.yaml', '{ code: "410", taxType: NONE }');
      beside('quickbooks.yaml', '{ id: "11", name: "SMM Services" }');
      const filed = await workspace.run(['vat', '--period', '2026-Q1', '--json']);
      expect(filed.code, filed.stdout + filed.stderr).toBe(0);
      expect(JSON.parse(filed.stdout)).toMatchObject({ boxes: Q1_BOXES, filed: { same: true, differences: [] } });
    });
  },
);
