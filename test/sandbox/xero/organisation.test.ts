import { fetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startXeroFake, type RunningXeroFake, type XeroFakeOptions } from '../../../sandbox/xero/fake.js';

let running: RunningXeroFake | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(options: XeroFakeOptions = {}): Promise<RunningXeroFake> {
  running = await startXeroFake(options);
  return running;
}

async function api(server: RunningXeroFake, method: 'GET' | 'PUT', path: string, body?: unknown) {
  const response = await fetch(`${server.apiUrl}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      authorization: `Bearer ${server.fake.issueAccessToken().accessToken}`,
      'xero-tenant-id': server.fake.tenantId,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const journal = (lines: { code: string; amount: string; tracking?: { Name: string; Option: string }[] }[]) => ({
  ManualJournals: [
    {
      Narration: 'test [je:1]',
      Date: '2024-02-29',
      Status: 'POSTED',
      LineAmountTypes: 'NoTax',
      JournalLines: lines.map((line) => ({
        AccountCode: line.code,
        LineAmount: line.amount,
        ...(line.tracking ? { Tracking: line.tracking } : {}),
      })),
    },
  ],
});

describe('Xero fake organisation', () => {
  it("lists system accounts with their SystemAccount, its country, and each tax rate's account classes", async () => {
    const server = await start({
      countryCode: 'GB',
      taxRates: [{ taxType: 'INPUT', name: 'Tax on Purchases', canApplyTo: ['EXPENSE'] }],
    });
    const accounts = (await api(server, 'GET', '/Accounts')).body.Accounts as {
      Code: string;
      SystemAccount?: string;
    }[];
    expect(
      accounts
        .filter((account) => account.SystemAccount !== undefined)
        .map((account) => [account.Code, account.SystemAccount]),
    ).toEqual([
      ['610', 'DEBTORS'],
      ['800', 'CREDITORS'],
      ['820', 'GST'],
      ['860', 'ROUNDING'],
      ['960', 'RETAINEDEARNINGS'],
    ]);
    expect((await api(server, 'GET', '/Organisation')).body.Organisations[0].CountryCode).toBe('GB');
    expect((await api(server, 'GET', '/TaxRates')).body.TaxRates[0]).toMatchObject({
      TaxType: 'INPUT',
      CanApplyToExpenses: true,
      CanApplyToRevenue: false,
    });
  });

  it('refuses a journal line on a system account that takes no manual journal, and stores nothing', async () => {
    const server = await start();
    const reply = await api(
      server,
      'PUT',
      '/ManualJournals',
      journal([
        { code: '610', amount: '1.00' },
        { code: '400', amount: '-1.00' },
      ]),
    );
    expect(reply.status).toBe(400);
    expect(reply.body.Elements[0].ValidationErrors).toEqual([
      { Message: "Account code '610' is a system account (DEBTORS) and cannot be used in a manual journal." },
    ]);
    expect(server.fake.journals()).toEqual([]);
  });

  it('serves tracking categories (archived ones on request) and refuses tracking it does not have', async () => {
    const server = await start({
      trackingCategories: [
        {
          name: 'Channel',
          status: 'ACTIVE',
          options: [
            { name: 'SMM', status: 'ACTIVE' },
            { name: 'Print', status: 'ARCHIVED' },
          ],
        },
      ],
    });
    const active = (await api(server, 'GET', '/TrackingCategories')).body.TrackingCategories;
    expect(active.map((category: any) => [category.Name, category.Options.map((option: any) => option.Name)])).toEqual([
      ['Channel', ['SMM']],
    ]);
    const all = (await api(server, 'GET', '/TrackingCategories?includeArchived=true')).body.TrackingCategories;
    expect(all[0].Options.map((option: any) => [option.Name, option.Status])).toEqual([
      ['SMM', 'ACTIVE'],
      ['Print', 'ARCHIVED'],
    ]);
    const reply = await api(
      server,
      'PUT',
      '/ManualJournals',
      journal([
        { code: '410', amount: '1.00', tracking: [{ Name: 'Channel', Option: 'Print' }] },
        { code: '621', amount: '-1.00', tracking: [{ Name: 'Region', Option: 'EU' }] },
      ]),
    );
    expect(reply.status).toBe(400);
    expect(reply.body.Elements[0].ValidationErrors).toEqual([
      { Message: "The tracking option 'Print' does not exist in the tracking category 'Channel' or is archived." },
      { Message: "The tracking category 'Region' does not exist or is archived." },
    ]);
  });
});
