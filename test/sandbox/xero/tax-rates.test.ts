import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startXeroFake,
  XERO_AU_TAX_RATES,
  XERO_NZ_TAX_RATES,
  XERO_UK_TAX_RATES,
  XERO_US_TAX_RATES,
  type RunningXeroFake,
  type XeroFakeTaxRate,
} from '../../../sandbox/xero/fake.js';

let server: RunningXeroFake;

beforeAll(async () => {
  server = await startXeroFake({ countryCode: 'GB', baseCurrency: 'GBP', taxRates: XERO_UK_TAX_RATES });
});
afterAll(() => server.close());

async function api(method: 'GET' | 'PUT', path: string, body?: unknown, on: RunningXeroFake = server) {
  const response = await fetch(`${on.apiUrl}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      authorization: `Bearer ${on.fake.issueAccessToken().accessToken}`,
      'xero-tenant-id': on.fake.tenantId,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const journal = (narration: string, lines: { code: string; amount: number; taxType?: string }[]) => ({
  ManualJournals: [
    {
      Narration: narration,
      Date: '2026-03-10',
      Status: 'POSTED',
      LineAmountTypes: 'Inclusive',
      JournalLines: lines.map((line) => ({
        AccountCode: line.code,
        LineAmount: line.amount,
        TaxType: line.taxType ?? 'NONE',
      })),
    },
  ],
});

describe('the Xero fake as a UK organisation', () => {
  it("serves GET /TaxRates with Xero's UK codes, their Status, CanApplyTo flags and rates to four decimals", async () => {
    const rates = (await api('GET', '/TaxRates')).body.TaxRates as Record<string, unknown>[];
    const byType = new Map(rates.map((rate) => [rate.TaxType, rate]));
    expect(byType.get('OUTPUT2')).toMatchObject({
      Name: '20% (VAT on Income)',
      Status: 'ACTIVE',
      CanApplyToRevenue: true,
      CanApplyToExpenses: false,
      EffectiveRate: 20,
      DisplayTaxRate: 20,
    });
    expect(byType.get('REVERSECHARGES')).toMatchObject({
      Name: 'Reverse Charge Expenses (20%)',
      ReportTaxType: 'REVERSECHARGES',
      CanApplyToRevenue: false,
      CanApplyToExpenses: true,
      DisplayTaxRate: 20,
      EffectiveRate: 0,
    });
    expect(byType.get('INPUT')).toMatchObject({ Status: 'ARCHIVED' });
  });

  it('computes each line’s TaxAmount inside an Inclusive amount; a reverse charge carries none', async () => {
    const reply = await api(
      'PUT',
      '/ManualJournals',
      journal('vat [je:uk:1]', [
        { code: '410', amount: 100.01, taxType: 'INPUT2' },
        { code: '410', amount: 50, taxType: 'REVERSECHARGES' },
        { code: '621', amount: -150.01 },
      ]),
    );
    expect(reply.status).toBe(200);
    // 100.01 × 20/120 = 16.668… → 16.67
    expect(reply.body.ManualJournals[0].JournalLines.map((line: any) => [line.TaxType, line.TaxAmount])).toEqual([
      ['INPUT2', 16.67],
      ['REVERSECHARGES', 0],
      ['NONE', 0],
    ]);
  });

  it("refuses a code it lacks, an archived one, a display name and a code's wrong case as Xero words it, and one not for the account's class", async () => {
    const refusal = async (taxType: string, code = '410') => {
      const reply = await api(
        'PUT',
        '/ManualJournals',
        journal(`bad ${taxType} [je:uk:bad]`, [
          { code, amount: 10, taxType },
          { code: '621', amount: -10 },
        ]),
      );
      expect(reply.status).toBe(400);
      return reply.body.Elements[0].ValidationErrors.map((error: any) => error.Message);
    };
    expect(await refusal('TAX001')).toEqual([
      'The TaxType code TAX001 does not exist or cannot be used for this type of transaction.',
    ]);
    expect(await refusal('INPUT')).toEqual([
      'The TaxType code INPUT does not exist or cannot be used for this type of transaction.',
    ]);
    expect(await refusal('20% (VAT on Expenses)')).toEqual([
      'The TaxType code 20% (VAT on Expenses) does not exist or cannot be used for this type of transaction.',
    ]);
    expect(await refusal('input2')).toEqual([
      'The TaxType code input2 does not exist or cannot be used for this type of transaction.',
    ]);
    expect(await refusal('OUTPUT2')).toEqual(["The TaxType code 'OUTPUT2' cannot be used with account code '410'."]);
    expect(server.fake.journals().map((stored) => stored.narration)).toEqual(['vat [je:uk:1]']);
  });
});

describe('the Xero fake as an Australian, New Zealand or US organisation', () => {
  const regions: [string, readonly XeroFakeTaxRate[], string, string, number, number][] = [
    ['AU', XERO_AU_TAX_RATES, 'INPUT', 'OUTPUT', 110, 10],
    ['NZ', XERO_NZ_TAX_RATES, 'INPUT2', 'OUTPUT2', 115, 15],
    ['US', XERO_US_TAX_RATES, 'INPUT', 'GSTONIMPORTS', 110, 0],
  ];
  it.each(regions)(
    '%s: its published expense code splits the tax out of an Inclusive line; a code not for expense accounts is refused',
    async (country, taxRates, expenseCode, otherCode, amount, tax) => {
      const fake = await startXeroFake({ countryCode: country, taxRates });
      try {
        const posted = await api(
          'PUT',
          '/ManualJournals',
          journal(`gst ${country} [je:${country}:1]`, [
            { code: '410', amount, taxType: expenseCode },
            { code: '621', amount: -amount, taxType: taxRates[0]?.taxType },
          ]),
          fake,
        );
        expect(posted.status).toBe(200);
        expect(posted.body.ManualJournals[0].JournalLines[0].TaxAmount).toBe(tax);
        const refused = await api(
          'PUT',
          '/ManualJournals',
          journal(`bad ${country} [je:${country}:2]`, [
            { code: '410', amount, taxType: otherCode },
            { code: '621', amount: -amount, taxType: taxRates[0]?.taxType },
          ]),
          fake,
        );
        expect(refused.body.Elements[0].ValidationErrors).toEqual([
          { Message: `The TaxType code '${otherCode}' cannot be used with account code '410'.` },
        ]);
      } finally {
        await fake.close();
      }
    },
  );
});
