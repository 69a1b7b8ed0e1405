import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { askConsole } from '../support/console-ledger.js';
import { serveInProcess } from '../support/serve-in-process.js';
import { useUkVatMonth } from './uk-vat-month.js';

/**
 * Issue 82 item 7, through the built CLI on the sandbox's UK month (uk-vat-month.ts): March is filed, and a supplier's
 * invoice of 12.00 for SMM services dated 03-20 comes in late. The refusal of March says how to book it in April;
 * `adjust --tax INPUT2` codes its expense line INPUT2 (the chart's order_charge rule, 20 %) and splits it: Dr
 * smm_services_expense 10.00, Dr vat_input 2.00, Cr suspense 12.00 (12.00 × 20 / 120 = 2.00). April's return takes it:
 * box 4 up 2.00, box 7 up 10.00; Xero receives the 12.00 line coded INPUT2 and keeps the same 2.00 of tax. Without
 * --tax the same entry is booked whole and uncoded, as before; a code the chart does not give is refused by name.
 */
const CHART_TAX = [
  'tax:',
  '  publisher_earnings: [{ code: OUTPUT2, rate: 20 }]',
  '  advertiser_spend: [{ code: REVERSECHARGES, rate: 20, reverseCharge: true }]',
  '  order_charge: [{ code: INPUT2, rate: 20 }]',
  '  order_refund: [{ code: INPUT2, rate: 20 }]',
  '',
].join('\n');
const QUICKBOOKS_CODES = [
  'taxCodes:',
  '  OUTPUT2: "20.0% S"',
  '  INPUT2: "20.0% S"',
  '  REVERSECHARGES: "20.0% RC SG"',
  '',
].join('\n');
const INVOICE = ['--debit', 'smm_services_expense=12.00', '--credit', 'suspense=12.00'];

type Boxes = Record<string, string>;
const cents = (amount: string | undefined) => Math.round(Number(amount) * 100);

describe('a late supplier invoice coded by hand with adjust --tax, into the open return', { timeout: 240_000 }, () => {
  const month = useUkVatMonth('adjust-tax-code', { chart: CHART_TAX, quickbooksCodes: QUICKBOOKS_CODES });
  const april = async (): Promise<Boxes> => {
    const run = await month.workspace.run(['vat', '--period', '2026-04', '--json']);
    expect(run.code, run.stderr).toBe(0);
    return (JSON.parse(run.stdout) as { boxes: Boxes }).boxes;
  };

  it('the refusal of the filed March says how: date it in the open period, coded by --tax', async () => {
    const filed = await month.workspace.run(['vat', 'file', '--period', '2026-03']);
    expect(filed.code, filed.stderr).toBe(0);
    const refused = await month.workspace.run([
      'adjust',
      '--date',
      '2026-03-20',
      '--tax',
      'INPUT2',
      ...INVOICE,
      '--reason',
      'supplier invoice of 03-20',
    ]);
    expect([refused.code, refused.stderr]).toEqual([
      2,
      expect.stringContaining('(ledgerline adjust --date 2026-04-01 --tax CODE …), where the next return takes it'),
    ]);
  });

  it('refuses a code the chart does not give, naming it and the codes there are; nothing is booked', async () => {
    const before = await april();
    const refused = await month.workspace.run([
      'adjust',
      '--date',
      '2026-04-01',
      '--tax',
      'INPUT9',
      ...INVOICE,
      '--reason',
      'supplier invoice of 03-20',
    ]);
    expect([refused.code, refused.stderr.trim()]).toEqual([
      2,
      expect.stringContaining(
        '--tax INPUT9: no rule under tax: in ' +
          `${month.workspace.dir}/mappings/default.yaml in force on 2026-04-01 has that code ` +
          '(the codes are INPUT2, OUTPUT2, REVERSECHARGES); nothing was booked',
      ),
    ]);
    expect(await april()).toEqual(before);
  });

  it('books 10.00 and 2.00 of VAT with --tax INPUT2, which April’s return takes and Xero codes alike', async () => {
    const before = await april();
    const booked = await month.workspace.run([
      'adjust',
      '--date',
      '2026-04-01',
      '--tax',
      'INPUT2',
      ...INVOICE,
      '--reason',
      'supplier invoice of 03-20, late',
    ]);
    expect(booked.code, booked.stderr).toBe(0);
    expect(booked.stdout).toMatch(
      /Dr smm_services_expense +10\.00 GBP\n +Dr vat_input +2\.00 GBP\n +Cr suspense +12\.00 GBP/,
    );
    const after = await april();
    expect([cents(after['4']) - cents(before['4']), cents(after['7']) - cents(before['7'])]).toEqual([200, 1000]);

    for (const destination of ['xero', 'quickbooks']) {
      const posted = await month.workspace.run(['post', destination]);
      expect(posted.code, posted.stderr + posted.stdout).toBe(0);
    }
    const journal = month.xero.journals().find((held) => held.narration.includes('supplier invoice of 03-20, late'))!;
    expect(journal.lines.map((line) => [line.taxType, String(line.cents), String(line.taxCents)])).toEqual([
      ['INPUT2', '1200', '200'],
      ['NONE', '-1200', '0'],
    ]);
    for (const destination of ['xero', 'quickbooks']) {
      const reconciled = await month.workspace.run(['reconcile', '--with', destination, '--json']);
      expect((JSON.parse(reconciled.stdout) as { items: unknown[] }).items, destination).toEqual([]);
    }
  });

  it('without --tax, an adjusting entry keeps today’s rule: booked whole, uncoded, outside the return', async () => {
    const before = await april();
    const booked = await month.workspace.run([
      'adjust',
      '--date',
      '2026-04-01',
      ...INVOICE,
      '--reason',
      'panel orders placed by hand',
    ]);
    expect(booked.code, booked.stderr).toBe(0);
    expect(booked.stdout).toMatch(/Dr smm_services_expense +12\.00 GBP\n +Cr suspense +12\.00 GBP/);
    expect(await april()).toEqual(before);
  });

  it("the console's adjusting-entry form codes by its Tax code field as --tax does, refusing an unknown code in its words", async () => {
    const serve = await serveInProcess(['--port', '0', '--config', join(month.workspace.dir, 'ledgerline.yaml')], {
      cwd: month.workspace.dir,
      env: month.workspace.env,
    });
    try {
      const host = `127.0.0.1:${serve.port}`;
      const main = await askConsole(new URL('/', serve.url).toString(), { host });
      expect(main.body).toContain('<input type="text" name="tax"');
      const csrf = /name="csrf" value="([^"]+)"/.exec(main.body)![1]!;
      const post = (tax: string) =>
        askConsole(new URL('/adjust', serve.url).toString(), {
          host,
          method: 'POST',
          origin: `http://${host}`,
          body: new URLSearchParams({
            csrf,
            from: '2026-04-01',
            to: '2026-04-30',
            date: '2026-04-01',
            currency: '',
            debitAccount: 'smm_services_expense',
            debitAmount: '6.00',
            creditAccount: 'suspense',
            creditAmount: '6.00',
            reason: 'a second late invoice, from the console',
            explains: '',
            settles: '',
            tax,
          }).toString(),
        });
      const refused = await post('INPUT9');
      expect([refused.status, refused.body]).toEqual([
        400,
        expect.stringContaining('Tax code INPUT9: no rule under tax:'),
      ]);
      const before = await april();
      const booked = await post('INPUT2');
      expect(booked.status, booked.body).toBe(303);
      // 6.00 × 20 / 120 = 1.00 of VAT, 5.00 net.
      const after = await april();
      expect([cents(after['4']) - cents(before['4']), cents(after['7']) - cents(before['7'])]).toEqual([100, 500]);
    } finally {
      await serve.stop();
    }
  });
});
