import { fetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  QUICKBOOKS_DEFAULT_ACCOUNTS,
  startQuickBooksFake,
  type QuickBooksFakeOptions,
  type RunningQuickBooksFake,
} from '../../../sandbox/quickbooks/fake.js';

let running: RunningQuickBooksFake | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(options: QuickBooksFakeOptions = {}): Promise<RunningQuickBooksFake> {
  running = await startQuickBooksFake(options);
  return running;
}

async function call(server: RunningQuickBooksFake, method: 'GET' | 'POST', path: string, body?: unknown) {
  const response = await fetch(`${server.apiUrl}/v3/company/${server.fake.realmId}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      authorization: `Bearer ${server.fake.issueAccessToken().accessToken}`,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const query = (server: RunningQuickBooksFake, text: string) =>
  call(server, 'GET', `/query?query=${encodeURIComponent(text)}`);

const receivableChart = QUICKBOOKS_DEFAULT_ACCOUNTS.map((account) =>
  account.id === '2' ? { ...account, accountType: 'Accounts Receivable' } : account,
);

function entry(entity?: unknown) {
  return {
    DocNumber: 'LL-1-abcdef',
    TxnDate: '2024-02-29',
    Line: [
      {
        Amount: 12.34,
        DetailType: 'JournalEntryLineDetail',
        JournalEntryLineDetail: {
          PostingType: 'Debit',
          AccountRef: { value: '2' },
          ...(entity ? { Entity: entity } : {}),
        },
      },
      {
        Amount: 12.34,
        DetailType: 'JournalEntryLineDetail',
        JournalEntryLineDetail: { PostingType: 'Credit', AccountRef: { value: '9' } },
      },
    ],
  };
}

describe('QuickBooks fake company', () => {
  it('answers classes and departments by Name, customers and vendors by DisplayName, and its country', async () => {
    const server = await start({
      classes: [{ id: '12', name: 'SMM panels' }],
      departments: [{ id: '7', name: 'Remote' }],
      customers: [{ id: '58', name: "O'Brien Ltd" }],
      country: 'CA',
    });
    expect(
      (await query(server, "select * from Class where Name in ('SMM panels', 'Other')")).body.QueryResponse.Class.map(
        (item: any) => item.Id,
      ),
    ).toEqual(['12']);
    expect(
      (await query(server, "select * from Department where Name = 'Remote'")).body.QueryResponse.Department[0],
    ).toMatchObject({ Id: '7', Name: 'Remote' });
    expect(
      (await query(server, "select * from Customer where DisplayName = 'O\\'Brien Ltd'")).body.QueryResponse
        .Customer[0],
    ).toMatchObject({ Id: '58', DisplayName: "O'Brien Ltd" });
    expect((await query(server, "select * from Vendor where DisplayName = 'Nobody'")).body.QueryResponse).toEqual({});
    expect((await call(server, 'GET', `/companyinfo/${server.fake.realmId}`)).body.CompanyInfo.Country).toBe('CA');
  });

  it('refuses an Accounts Receivable line without a customer (6000) or with one it does not have (2500), and keeps the customer it names', async () => {
    const server = await start({ accounts: receivableChart, customers: [{ id: '58', name: 'Payelancer' }] });
    const without = await call(server, 'POST', '/journalentry', entry());
    expect(without.status).toBe(400);
    expect(without.body.Fault.Error).toEqual([
      {
        Message: 'A business validation error has occurred while processing your request',
        Detail:
          'Business Validation Error: When you use Accounts Receivable, you must choose a customer in the Name field.',
        code: '6000',
        element: '',
      },
    ]);
    const unknown = await call(
      server,
      'POST',
      '/journalentry',
      entry({ Type: 'Customer', EntityRef: { value: '99' } }),
    );
    expect(unknown.body.Fault.Error.map((error: any) => error.code)).toEqual(['2500']);
    const stored = await call(server, 'POST', '/journalentry', entry({ Type: 'Customer', EntityRef: { value: '58' } }));
    expect(stored.status).toBe(200);
    expect(stored.body.JournalEntry.Line[0].JournalEntryLineDetail.Entity).toEqual({
      Type: 'Customer',
      EntityRef: { value: '58', name: 'Payelancer' },
    });
    expect(server.fake.journalEntries().map((item) => item.lines.map((line) => line.entity))).toEqual([
      [{ type: 'Customer', id: '58' }, undefined],
    ]);
  });

  it('answers inactive accounts only when the query asks about Active', async () => {
    const server = await start({
      accounts: QUICKBOOKS_DEFAULT_ACCOUNTS.map((account) =>
        account.id === '13' ? { ...account, active: false } : account,
      ),
    });
    expect(
      (await query(server, "select * from Account where Id in ('12', '13')")).body.QueryResponse.Account.map(
        (account: any) => account.Id,
      ),
    ).toEqual(['12']);
    const both = (await query(server, "select * from Account where Active in (true, false) and Id in ('12', '13')"))
      .body.QueryResponse.Account;
    expect(both.map((account: any) => [account.Id, account.Active])).toEqual([
      ['12', true],
      ['13', false],
    ]);
  });
});
