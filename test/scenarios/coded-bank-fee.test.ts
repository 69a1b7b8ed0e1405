import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliResult } from './scenario-harness.js';
import { useUkVatMonth } from './uk-vat-month.js';

/**
 * Issue 82 item 4, through the built CLI on the sandbox's UK month (uk-vat-books.test.ts's set-up): the bank charges
 * 9.00 on 04-02, a statement line no item takes, and `tax.bank_fees` codes bank fees INPUT2 at 20 %. Booked with
 * `adjust --settles`, the ledger splits it, Dr bank_fees 7.50 / Dr vat_input 1.50 / Cr bank 9.00 (9.00 × 20 / 120 =
 * 1.50), and counts 1.50 in box 4 and 7.50 in box 7. Xero, which takes no manual journal on its bank account, gets
 * the SPEND bank transaction of 9.00 on 404, tax inclusive and coded INPUT2, so it too keeps 1.50 of tax and 7.50 of
 * bank fees: `vat` and Xero's stored tax agree, and `reconcile --with xero` finds no difference.
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
const CSV_COLUMNS =
  '{ date: Date, amount: Amount, currency: Currency, reference: Reference, description: Details, id: Id }';
const STATEMENT = ['Date,Amount,Currency,Reference,Details,Id', '2026-04-02,-9.00,GBP,ACCOUNT FEE,CHARGE,F-1', ''].join(
  '\n',
);

type Boxes = Record<string, string>;
interface TieOutJson {
  items: unknown[];
  tax: { rows: { period: string; code: string; lines: number; ledger: string; destination: string }[] };
}
const cents = (amount: string) => Math.round(Number(amount) * 100);

describe('a coded bank charge booked with adjust --settles, at Xero', { timeout: 240_000 }, () => {
  const month = useUkVatMonth('coded-bank-fee', { chart: CHART_TAX, quickbooksCodes: QUICKBOOKS_CODES });
  const run: Record<string, CliResult> = {};
  let before: Boxes;
  const boxes = async (): Promise<Boxes> => {
    const april = await month.workspace.run(['vat', '--period', '2026-04', '--json']);
    return (JSON.parse(april.stdout) as { boxes: Boxes }).boxes;
  };

  beforeAll(async () => {
    const { workspace } = month;
    // The bank account as a statement source, Xero's bank-side documents into 090, QuickBooks' bank to Checking.
    const config = join(workspace.dir, 'ledgerline.yaml');
    writeFileSync(
      config,
      readFileSync(config, 'utf8')
        .replace(
          /^sources:\n/m,
          `sources:\n  - { id: operating, kind: bank-statement, currency: GBP, csv: ${CSV_COLUMNS} }\n`,
        )
        .replace(/^( {4}region: UK\n)/m, '$1    transit: { createBankDocuments: true, bankAccount: "090" }\n'),
    );
    const quickbooks = join(workspace.dir, 'mappings', 'quickbooks.yaml');
    writeFileSync(
      quickbooks,
      readFileSync(quickbooks, 'utf8').replace(/^accounts:\n/m, 'accounts:\n  bank: { id: "1", name: "Checking" }\n'),
    );
    writeFileSync(join(workspace.dir, 'april.csv'), STATEMENT);
    run['import'] = await workspace.run(['bank', 'import', 'april.csv', '--account', 'operating']);
    before = await boxes();
    run['tieOutBefore'] = await workspace.run(['reconcile', '--with', 'xero', '--json']);
    run['adjust'] = await workspace.run([
      'adjust',
      '--date',
      '2026-04-02',
      '--debit',
      'bank_fees=9.00',
      '--credit',
      'bank=9.00',
      '--reason',
      'ACCOUNT FEE of the April statement',
      '--settles',
      'operating:F-1',
    ]);
    run['post'] = await workspace.run(['post', 'xero']);
  }, 240_000);

  it('books the charge net and VAT apart, settling its line', () => {
    for (const step of ['import', 'adjust', 'post']) expect(run[step]!.code, `${step}: ${run[step]!.stderr}`).toBe(0);
    expect(run['adjust']!.stdout).toMatch(/Dr bank_fees +7\.50 GBP\n +Dr vat_input +1\.50 GBP\n +Cr bank +9\.00 GBP/);
  });

  it('reaches Xero as a SPEND bank transaction coded INPUT2, tax inclusive, holding the 1.50 vat counts', async () => {
    const [transaction, ...others] = month.xero
      .bankTransactions()
      .filter((held) => held.reference?.startsWith('je:adjustment:2026-04-02:') === true);
    expect(others).toEqual([]);
    expect([
      transaction?.type,
      transaction?.lineAmountTypes,
      transaction?.lines.map((line) => [line.accountCode, String(line.cents), line.taxType, String(line.taxCents)]),
    ]).toEqual(['SPEND', 'Inclusive', [['404', '900', 'INPUT2', '150']]]);
    const after = await boxes();
    const moved = (box: string) => (Number(after[box]) * 100 - Number(before[box]) * 100).toFixed(0);
    expect([moved('4'), moved('7')]).toEqual(['150', '750']);
    expect(month.xero.journals().some((journal) => journal.narration.includes('ACCOUNT FEE'))).toBe(false);
  });

  it("reconcile --with xero finds no difference, and counts the bank transaction's 1.50 in April's INPUT2 row", async () => {
    const reconciled = await month.workspace.run(['reconcile', '--with', 'xero', '--json']);
    const report = JSON.parse(reconciled.stdout) as TieOutJson;
    expect(report.items).toEqual([]);
    expect(reconciled.code, reconciled.stderr).toBe(0);
    const april = (tieOut: TieOutJson) =>
      tieOut.tax.rows.find((row) => row.period === '2026-04' && row.code === 'INPUT2') ?? {
        lines: 0,
        ledger: '0.00',
        destination: '0.00',
      };
    const [was, is] = [april(JSON.parse(run['tieOutBefore']!.stdout) as TieOutJson), april(report)];
    expect([
      is.lines - was.lines,
      cents(is.ledger) - cents(was.ledger),
      cents(is.destination) - cents(was.destination),
    ]).toEqual([1, 150, 150]);
  });
});
