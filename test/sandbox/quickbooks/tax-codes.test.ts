import { fetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startQuickBooksFake,
  type QuickBooksFakeOptions,
  type RunningQuickBooksFake,
} from '../../../sandbox/quickbooks/fake.js';

/**
 * Issue 54: a UK company in the QuickBooks fake keeps a tax table (TaxCode, TaxRate), takes TaxCodeRef and
 * TaxApplicableOn on journal lines, computes each line's tax, and refuses what a UK company refuses.
 */

let running: RunningQuickBooksFake | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function company(options: QuickBooksFakeOptions) {
  running = await startQuickBooksFake({ batchOrder: 'as-sent', ...options });
  const token = running.fake.issueAccessToken().accessToken;
  const server = running;
  return async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const response = await fetch(`${server.apiUrl}/v3/company/${server.fake.realmId}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
}

type Line = [
  amount: string,
  side: 'Debit' | 'Credit',
  accountId: string,
  tax?: { code: string; on: 'Sales' | 'Purchase' },
];

/** A journal entry body; JSON.stringify writes 150.56 as 150.56, which the fake reads as text, exactly. */
function journal(lines: Line[], calculation?: string): Record<string, unknown> {
  return {
    TxnDate: '2026-03-16',
    ...(calculation === undefined ? {} : { GlobalTaxCalculation: calculation }),
    Line: lines.map(([amount, side, accountId, tax]) => ({
      Amount: Number(amount),
      DetailType: 'JournalEntryLineDetail',
      JournalEntryLineDetail: {
        PostingType: side,
        AccountRef: { value: accountId },
        ...(tax === undefined ? {} : { TaxCodeRef: { value: tax.code }, TaxApplicableOn: tax.on }),
      },
    })),
  };
}

const query = (text: string) => `/query?query=${encodeURIComponent(text)}&minorversion=75`;

describe('a UK company’s tax table', () => {
  it('answers TaxCode and TaxRate queries, the active ones unless Active is asked about', async () => {
    const call = await company({ country: 'GB', homeCurrency: 'GBP' });
    const codes = await call('GET', query('select * from TaxCode maxresults 1000'));
    expect(codes.body.QueryResponse.TaxCode.map((code: { Name: string }) => code.Name)).toEqual([
      '20.0% S',
      '0.0% Z',
      'Exempt',
      'No VAT',
      '20.0% RC SG',
    ]);
    const reverse = codes.body.QueryResponse.TaxCode.find((code: { Name: string }) => code.Name === '20.0% RC SG');
    expect(reverse.SalesTaxRateList.TaxRateDetail).toEqual([]);
    expect(
      reverse.PurchaseTaxRateList.TaxRateDetail.map(
        (detail: { TaxRateRef: { value: string } }) => detail.TaxRateRef.value,
      ),
    ).toEqual(['6', '7']);
    const all = await call('GET', query('select * from TaxCode where Active in (true, false) maxresults 1000'));
    expect(
      all.body.QueryResponse.TaxCode.filter((code: { Active: boolean }) => !code.Active).map(
        (code: { Name: string }) => code.Name,
      ),
    ).toEqual(['17.5% S']);
    const rates = await call('GET', query('select * from TaxRate'));
    expect(rates.body.QueryResponse.TaxRate.find((rate: { Id: string }) => rate.Id === '7').RateValue).toBe(-20);
  });
});

describe('journal lines with tax codes', () => {
  it('keeps each line’s code and the tax inside it, rounded half to even; a reverse charge carries none but both rates in TxnTaxDetail', async () => {
    const call = await company({ country: 'GB', homeCurrency: 'GBP' });
    const body = journal(
      [
        ['150.56', 'Debit', '11', { code: '2', on: 'Purchase' }],
        ['100.00', 'Debit', '10', { code: '14', on: 'Purchase' }],
        ['250.56', 'Credit', '3'],
      ],
      'TaxInclusive',
    );
    const created = await fetchRaw(call, body);
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const lines = created.body.JournalEntry.Line.map((line: any) => [
      line.JournalEntryLineDetail.TaxCodeRef?.name,
      line.JournalEntryLineDetail.TaxAmount,
    ]);
    // 150.56 × 20/120 = 25.093… → 25.09; the reverse charge's rates (+20, −20) cancel.
    expect(lines).toEqual([
      ['20.0% S', 25.09],
      ['20.0% RC SG', 0],
      [undefined, undefined],
    ]);
    expect(created.body.JournalEntry.GlobalTaxCalculation).toBe('TaxInclusive');
    expect(created.body.JournalEntry.TxnTaxDetail.TotalTax).toBe(25.09);
    expect(
      created.body.JournalEntry.TxnTaxDetail.TaxLine.map((line: any) => [
        line.TaxLineDetail.TaxRateRef.value,
        line.Amount,
      ]),
    ).toEqual([
      ['2', 25.09],
      ['6', 20],
      ['7', -20],
    ]);
    expect(running!.fake.journalEntries()[0]?.lines.map((line) => line.tax?.taxCents)).toEqual([2509n, 0n, undefined]);
  });

  it('refuses an income or expense line without a code (6000), an unknown or inactive code (2500), a sales-only code on a purchase (6000); a US company refuses any code', async () => {
    const uk = await company({ country: 'GB', homeCurrency: 'GBP' });
    const refusal = async (lines: Line[]) =>
      (await fetchRaw(uk, journal(lines, 'TaxInclusive'))).body.Fault.Error.map(
        (error: { code: string; Detail: string }) => `${error.code} ${error.Detail}`,
      );
    expect(
      await refusal([
        ['10.00', 'Debit', '11'],
        ['10.00', 'Credit', '3'],
      ]),
    ).toEqual(['6000 Business Validation Error: Make sure all your transactions have a VAT rate before you save.']);
    expect(
      await refusal([
        ['10.00', 'Debit', '11', { code: '20', on: 'Purchase' }],
        ['10.00', 'Credit', '3'],
      ]),
    ).toEqual(['2500 Invalid Reference Id : TaxCode element id 20 not found']);
    expect(
      await refusal([
        ['10.00', 'Credit', '9', { code: '14', on: 'Sales' }],
        ['10.00', 'Debit', '2'],
      ]),
    ).toEqual(['6000 Business Validation Error: The tax code 20.0% RC SG cannot be used for sales.']);
    // A balance-sheet line needs no code.
    expect(
      (
        await fetchRaw(
          uk,
          journal(
            [
              ['10.00', 'Debit', '11', { code: '10', on: 'Purchase' }],
              ['10.00', 'Credit', '3'],
            ],
            'TaxInclusive',
          ),
        )
      ).status,
    ).toBe(200);
    await running!.close();

    const us = await company({});
    const refused = await fetchRaw(
      us,
      journal([
        ['10.00', 'Debit', '11', { code: '2', on: 'Purchase' }],
        ['10.00', 'Credit', '3'],
      ]),
    );
    expect(refused.body.Fault.Error[0].code).toBe('6000');
    expect(
      (
        await fetchRaw(
          us,
          journal([
            ['10.00', 'Debit', '11'],
            ['10.00', 'Credit', '3'],
          ]),
        )
      ).status,
    ).toBe(200);
  });

  it('a company told not to require codes takes an uncoded line (the setting for the unconfirmed 6000 on journals)', async () => {
    const call = await company({ country: 'GB', homeCurrency: 'GBP', requireTaxCodes: false });
    expect(
      (
        await fetchRaw(
          call,
          journal([
            ['10.00', 'Debit', '11'],
            ['10.00', 'Credit', '3'],
          ]),
        )
      ).status,
    ).toBe(200);
  });
});

/** POST journalentry. */
function fetchRaw(
  call: Awaited<ReturnType<typeof company>>,
  body: Record<string, unknown>,
): Promise<{ status: number; body: any }> {
  return call('POST', '/journalentry?minorversion=75', body);
}
