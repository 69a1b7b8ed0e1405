import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXeroFake, type RunningXeroFake } from '../../../sandbox/xero/fake.js';

/**
 * What real Xero refuses, the fake refuses, through real HTTP: a manual journal line on a bank account, and a
 * posted journal dated on or before the lock dates a person sets with POST /xero/__admin/lock-dates.
 */

let xero: RunningXeroFake;
beforeAll(async () => {
  xero = await startXeroFake();
});
afterAll(async () => {
  await xero.close();
});

async function putJournal(
  date: string,
  lines: readonly { code: string; amount: number }[],
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${xero.apiUrl}/ManualJournals`, {
    method: 'PUT',
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      authorization: `Bearer ${xero.fake.issueAccessToken().accessToken}`,
      'xero-tenant-id': xero.fake.tenantId,
    },
    body: JSON.stringify({
      ManualJournals: [
        {
          Narration: `journal ${date}`,
          Date: date,
          Status: 'POSTED',
          LineAmountTypes: 'NoTax',
          JournalLines: lines.map((line) => ({ AccountCode: line.code, LineAmount: line.amount })),
        },
      ],
    }),
  });
  return { status: response.status, body: await response.json() };
}

const lockDates = async (body: unknown): Promise<{ status: number; body: any }> => {
  const response = await fetch(`${xero.origin}/xero/__admin/lock-dates`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
};

describe('the Xero fake refuses what Xero refuses', () => {
  it('a manual journal line on a bank-type account (090 Business Bank Account): 400 ValidationException, nothing kept', async () => {
    const refused = await putJournal('2026-03-10', [
      { code: '404', amount: 2.5 },
      { code: '090', amount: -2.5 },
    ]);
    expect(refused.status).toBe(400);
    expect(refused.body.Type).toBe('ValidationException');
    expect(refused.body.Elements[0].ValidationErrors).toEqual([
      { Message: 'You cannot use a bank account in a manual journal. Account code: 090' },
    ]);
    expect(xero.fake.journals()).toHaveLength(0);
  });

  it("lock dates set by the admin call: read back in Organisation, a posted journal on or before them refused with Xero's words, null clears", async () => {
    expect(await lockDates({ periodLockDate: '2026-03-31' })).toEqual({
      status: 200,
      body: { periodLockDate: '2026-03-31', endOfYearLockDate: null },
    });
    const organisation = await fetch(`${xero.apiUrl}/Organisation`, {
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${xero.fake.issueAccessToken().accessToken}`,
        'xero-tenant-id': xero.fake.tenantId,
      },
    });
    expect(((await organisation.json()) as any).Organisations[0].PeriodLockDate).toBe(
      `/Date(${Date.UTC(2026, 2, 31)}+0000)/`,
    );

    const lines = [
      { code: '404', amount: 2.5 },
      { code: '631', amount: -2.5 },
    ];
    const locked = await putJournal('2026-03-31', lines);
    expect(locked.status).toBe(400);
    expect(locked.body.Elements[0].ValidationErrors).toEqual([
      { Message: 'The document date cannot be before the period lock date, currently set at 31-Mar-2026' },
    ]);
    expect((await putJournal('2026-04-01', lines)).status).toBe(200);

    expect((await lockDates({ periodLockDate: null, endOfYearLockDate: '2025-12-31' })).body).toEqual({
      periodLockDate: null,
      endOfYearLockDate: '2025-12-31',
    });
    expect((await putJournal('2026-03-31', lines)).status).toBe(200);
    expect((await putJournal('2025-12-31', lines)).body.Elements[0].ValidationErrors).toEqual([
      { Message: 'The document date cannot be before the end of year lock date, currently set at 31-Dec-2025' },
    ]);
    expect((await lockDates({ periodLockDate: 'March' })).status).toBe(400);
  });
});
