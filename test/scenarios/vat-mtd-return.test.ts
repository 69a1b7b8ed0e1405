import { describe, expect, it } from 'vitest';
import { useUkVatMonth } from './uk-vat-month.js';

/** The chart's tax and QuickBooks' codes of the UK month (as uk-vat-books.test.ts books it). */
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

/**
 * HMRC's schema of the MTD VAT API's return body (`POST /organisations/vat/{vrn}/returns`, VatReturnRequest), its
 * rules written out: every field required and no other; periodKey a string of four letters, digits or '#'; boxes
 * 1 to 4 numbers in pounds and pence (at most 2 decimals) between −9999999999999.99 and 9999999999999.99; netVatDue
 * (box 5) a number of at most 2 decimals from 0 to 99999999999.99; boxes 6 to 9 whole pounds between −9999999999999
 * and 9999999999999; finalised a boolean. Read from the JSON text (the decimals as written): each rule broken is named.
 */
function hmrcSchemaViolations(text: string): string[] {
  const body = JSON.parse(text) as Record<string, unknown>;
  const literal = (name: string) => new RegExp(`"${name}": (-?[0-9.]+)[,\\n]`).exec(text)?.[1] ?? '';
  const violations: string[] = [];
  const pence = ['vatDueSales', 'vatDueAcquisitions', 'totalVatDue', 'vatReclaimedCurrPeriod'];
  const whole = [
    'totalValueSalesExVAT',
    'totalValuePurchasesExVAT',
    'totalValueGoodsSuppliedExVAT',
    'totalAcquisitionsExVAT',
  ];
  const required = ['periodKey', ...pence, 'netVatDue', ...whole, 'finalised'];
  for (const name of required) if (!(name in body)) violations.push(`${name} is required`);
  for (const name of Object.keys(body)) if (!required.includes(name)) violations.push(`${name} is not in the schema`);
  if (typeof body.periodKey !== 'string' || !/^[0-9A-Za-z#]{4}$/.test(body.periodKey))
    violations.push('periodKey: four letters, digits or #');
  for (const name of pence) {
    if (typeof body[name] !== 'number' || !/^-?\d{1,13}(\.\d{1,2})?$/.test(literal(name)))
      violations.push(`${name}: a number in pounds and pence, at most 13 digits of pounds`);
  }
  if (typeof body.netVatDue !== 'number' || !/^\d{1,11}(\.\d{1,2})?$/.test(literal('netVatDue')))
    violations.push('netVatDue: a number from 0 to 99999999999.99');
  for (const name of whole) {
    if (typeof body[name] !== 'number' || !/^-?\d{1,13}$/.test(literal(name)))
      violations.push(`${name}: whole pounds, at most 13 digits`);
  }
  if (typeof body.finalised !== 'boolean') violations.push('finalised: a boolean');
  return violations;
}

/**
 * Issue 83 item 3, through the built CLI: the sandbox's UK Q1 (the five days across the March month end, GBP books,
 * the panel's USD at 0.79) printed as the body HMRC's MTD VAT API takes, checked against the schema's rules above.
 * By hand (uk-vat-books.test.ts works the boxes): earnings 30.00 + 30.00 at 20 % → 10.00 of VAT and 50.00 net; the
 * advertiser's 4.25 reverse-charged → 0.85 in boxes 1 and 4, 4.25 in boxes 6 and 7; the panel's orders 0.71 − 0.11 +
 * 0.03 GBP → 0.10 of VAT, 0.59 − 0.09 + 0.03 = 0.53 net. Box 1 10.85, box 4 0.95, box 5 10.85 − 0.95 = 9.90 to pay;
 * box 6 54.25 → 54 whole pounds, box 7 4.78 → 4 (the pence left out, not rounded up to 5).
 */
describe("the sandbox's UK Q1 as HMRC's MTD VAT API takes it", { timeout: 180_000 }, () => {
  const month = useUkVatMonth('vat-mtd-return', { chart: CHART_TAX, quickbooksCodes: QUICKBOOKS_CODES });

  it('vat --format mtd --period-key prints the return body: box 5 as netVatDue, boxes 6 to 9 in whole pounds', async () => {
    const run = await month.workspace.run(['vat', '--period', '2026-Q1', '--format', 'mtd', '--period-key', '26A1']);
    expect(run.code, run.stderr).toBe(0);
    expect(hmrcSchemaViolations(run.stdout)).toEqual([]);
    expect(run.stdout).toBe(
      [
        '{',
        '  "periodKey": "26A1",',
        '  "vatDueSales": 10.85,',
        '  "vatDueAcquisitions": 0.00,',
        '  "totalVatDue": 10.85,',
        '  "vatReclaimedCurrPeriod": 0.95,',
        '  "netVatDue": 9.90,',
        '  "totalValueSalesExVAT": 54,',
        '  "totalValuePurchasesExVAT": 4,',
        '  "totalValueGoodsSuppliedExVAT": 0,',
        '  "totalAcquisitionsExVAT": 0,',
        '  "finalised": true',
        '}',
        '',
      ].join('\n'),
    );
    expect(run.stderr).toContain('you pay HMRC 9.90 for 2026-Q1 (periodKey 26A1)');
  });

  it('the schema check catches what HMRC would refuse: a negative netVatDue, pence in box 6, a made-up key', () => {
    const bad =
      '{\n  "periodKey": "2026-Q1",\n  "vatDueSales": 1.5,\n  "netVatDue": -1.15,\n  "totalValueSalesExVAT": 54.25,\n  "finalised": true\n}';
    expect(hmrcSchemaViolations(bad)).toEqual(
      expect.arrayContaining([
        'periodKey: four letters, digits or #',
        'netVatDue: a number from 0 to 99999999999.99',
        'totalValueSalesExVAT: whole pounds, at most 13 digits',
        'totalValuePurchasesExVAT is required',
      ]),
    );
  });

  it('refuses to make up the periodKey: without --period-key, or one not of four letters, digits or #, exit 2 and nothing printed', async () => {
    const missing = await month.workspace.run(['vat', '--period', '2026-Q1', '--format', 'mtd']);
    expect([missing.code, missing.stdout]).toEqual([2, '']);
    expect(missing.stderr).toContain("--format mtd needs --period-key KEY: HMRC's periodKey of the return");
    const made = await month.workspace.run([
      'vat',
      '--period',
      '2026-Q1',
      '--format',
      'mtd',
      '--period-key',
      '2026-Q1',
    ]);
    expect([made.code, made.stdout]).toEqual([2, '']);
    expect(made.stderr).toContain(`--period-key "2026-Q1": HMRC's periodKey is four letters, digits or '#'`);
    const alone = await month.workspace.run(['vat', '--period', '2026-Q1', '--period-key', '26A1']);
    expect([alone.code, alone.stderr]).toEqual([2, expect.stringContaining('--period-key goes with --format mtd')]);
  });

  it('the printed return says who pays whom with box 5 positive, boxes 6 to 9 in whole pounds beside the books', async () => {
    const run = await month.workspace.run(['vat', '--period', '2026-Q1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\n {2}Box 5 {2}net VAT to pay: you pay HMRC \(3 − 4\) +9\.90\n/);
    expect(run.stdout).toMatch(
      /\n {2}Box 6 {2}total sales and other outputs, excluding VAT +54 {2}\(54\.25 in the books\)\n/,
    );
    expect(run.stdout).toMatch(/\n {2}Box 8 {2}supplies of goods to the EU +0\n/);
  });

  it('vat --format csv is plain ASCII, so a spreadsheet opened without UTF-8 reads "3 - 4" as written', async () => {
    const run = await month.workspace.run(['vat', '--period', '2026-Q1', '--format', 'csv']);
    expect(run.code, run.stderr).toBe(0);
    expect([...run.stdout].filter((character) => character.charCodeAt(0) > 0x7f)).toEqual([]);
    expect(run.stdout).toContain('5,net VAT to pay (3 - 4; negative: to reclaim),9.90\r\n');
  });
});
