import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQuickBooksFake, type RunningQuickBooksFake } from '../../../sandbox/quickbooks/fake.js';

/**
 * Closing the books in the QuickBooks fake as an accountant does, through POST /quickbooks/__admin/close-date:
 * read back as Preferences AccountingInfoPrefs BookCloseDate, and an entry dated on or before it refused as
 * QuickBooks refuses it (6210, "Account Period Closed").
 */

let quickbooks: RunningQuickBooksFake;
beforeAll(async () => {
  quickbooks = await startQuickBooksFake();
});
afterAll(async () => {
  await quickbooks.close();
});

async function company(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${quickbooks.apiUrl}/v3/company/${quickbooks.fake.realmId}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      authorization: `Bearer ${quickbooks.fake.issueAccessToken().accessToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const closeDate = async (body: unknown): Promise<{ status: number; body: any }> => {
  const response = await fetch(`${quickbooks.origin}/quickbooks/__admin/close-date`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
};

function bankCharge(txnDate: string): Record<string, unknown> {
  const line = (postingType: 'Debit' | 'Credit', accountId: string) => ({
    Amount: 2.5,
    DetailType: 'JournalEntryLineDetail',
    JournalEntryLineDetail: { PostingType: postingType, AccountRef: { value: accountId } },
  });
  return { DocNumber: `BC-${txnDate}`, TxnDate: txnDate, Line: [line('Debit', '15'), line('Credit', '5')] };
}

describe('POST /quickbooks/__admin/close-date', () => {
  it('closes the books through a day: BookCloseDate in Preferences, an entry on it refused 6210, one after it taken; null reopens', async () => {
    expect(await closeDate({ bookCloseDate: '2026-03-31' })).toEqual({
      status: 200,
      body: { bookCloseDate: '2026-03-31' },
    });
    expect((await company('GET', '/preferences')).body.Preferences.AccountingInfoPrefs.BookCloseDate).toBe(
      '2026-03-31',
    );

    const refused = await company('POST', '/journalentry', bankCharge('2026-03-31'));
    expect(refused.status).toBe(400);
    expect(refused.body.Fault.Error[0]).toMatchObject({
      code: '6210',
      Message: expect.stringContaining('Account Period Closed'),
    });
    expect((await company('POST', '/journalentry', bankCharge('2026-04-01'))).status).toBe(200);

    expect((await closeDate({ bookCloseDate: null })).body).toEqual({ bookCloseDate: null });
    expect((await company('POST', '/journalentry', bankCharge('2026-03-31'))).status).toBe(200);
    expect(quickbooks.fake.journalEntries().map((entry) => entry.txnDate)).toEqual(['2026-04-01', '2026-03-31']);
    expect((await closeDate({ bookCloseDate: '31/03/2026' })).status).toBe(400);
  });
});
