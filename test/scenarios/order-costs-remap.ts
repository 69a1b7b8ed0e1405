import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The UK month of issue 82's re-map scenarios (booked-tax-after-remap.test.ts, booked-tax-before-0039.test.ts):
 * the sandbox's five days across the March month end in GBP books (uk-vat-month.ts), the panel's SMM services
 * reverse-charged (bought from abroad), ad earnings at 20 %, the advertiser's spend reverse-charged too.
 */
export const REVERSE_CHARGED_CHART_TAX = [
  'tax:',
  '  publisher_earnings: [{ code: OUTPUT2, rate: 20 }]',
  '  advertiser_spend: [{ code: REVERSECHARGES, rate: 20, reverseCharge: true }]',
  '  order_charge: [{ code: REVERSECHARGES, rate: 20, reverseCharge: true }]',
  '  order_refund: [{ code: REVERSECHARGES, rate: 20, reverseCharge: true }]',
  '',
].join('\n');

export const UK_QUICKBOOKS_CODES = [
  'taxCodes:',
  '  OUTPUT2: "20.0% S"',
  '  INPUT2: "20.0% S"',
  '  REVERSECHARGES: "20.0% RC SG"',
  // A UK company wants a code on every income and expense line: the cent rounding's too.
  'untaxedCode: "No VAT"',
  '',
].join('\n');

/**
 * Q1's boxes by hand (the world's script, five-days-across-month-end.ts; uk-vat-books.test.ts works the same days):
 * earnings 30.00 + 30.00 on 03-30 and 03-31 at 20 % → 10.00 of VAT, 50.00 net; reverse-charged at 20 %: the
 * advertiser's 4.25 (03-30) and the panel's USD services as their journals went out at 0.79, 03-30's 0.71 GBP,
 * 03-31's refund of 0.11 and charge of 0.03: 4.25 + 0.71 − 0.11 + 0.03 = 4.88 in box 7 (and in box 6 with the 50.00:
 * 54.88), their legs 0.85 + 0.14 − 0.02 + 0.01 = 0.98 in box 4 and in box 1 with the 10.00 (10.98).
 */
export const REVERSE_CHARGED_Q1_BOXES = {
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

/**
 * The account-only re-map of issue 82: order charges and refunds move to a new chart account (`smm_order_costs`)
 * that Xero and QuickBooks map to the very account and code the old one had (410, "SMM Services").
 */
export function remapOrderCosts(workspaceDir: string): void {
  const mappings = join(workspaceDir, 'mappings');
  const edit = (file: string, change: (text: string) => string) =>
    writeFileSync(join(mappings, file), change(readFileSync(join(mappings, file), 'utf8')));
  edit('default.yaml', (text) =>
    text
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
  edit('xero.yaml', (text) =>
    text.replace(/^( {2}smm_services_expense: .*)$/m, '$1\n  smm_order_costs:          { code: "410", taxType: NONE }'),
  );
  edit('quickbooks.yaml', (text) =>
    text.replace(
      /^( {2}smm_services_expense: .*)$/m,
      '$1\n  smm_order_costs:          { id: "11", name: "SMM Services" }',
    ),
  );
}
