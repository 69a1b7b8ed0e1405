import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQuickBooksFake, type RunningQuickBooksFake } from '../../sandbox/quickbooks/fake.js';
import { startXeroFake, type RunningXeroFake } from '../../sandbox/xero/fake.js';

/**
 * Issue 83: checking the fakes' trial balances by hand needed a stored access token. GET …/__admin/trial-balance
 * answers with no token, as the report the API gives (Xero's ?date=, QuickBooks' ?end_date=), for a person with curl.
 */
let xero: RunningXeroFake;
let quickbooks: RunningQuickBooksFake;
beforeAll(async () => {
  [xero, quickbooks] = await Promise.all([startXeroFake(), startQuickBooksFake()]);
});
afterAll(async () => {
  await Promise.all([xero?.close(), quickbooks?.close()]);
});

/** A GET as curl sends it: no token, no tenant, no Accept header. */
async function curl(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

describe("the fakes' trial balances on an admin path a person can curl", () => {
  it("Xero: GET /xero/__admin/trial-balance?date= gives the organisation's report with no token, as the API does with one", async () => {
    xero.fake.addJournal({
      date: '2026-03-10',
      lines: [
        { accountCode: '400', cents: 1_250n },
        { accountCode: '850', cents: -1_250n },
      ],
    });
    const admin = await curl(`${xero.origin}/xero/__admin/trial-balance?date=2026-03-31`);
    expect(admin.status).toBe(200);
    const rows = admin.body.Reports[0].Rows.flatMap((section: any) =>
      section.RowType === 'Section' ? section.Rows : [],
    );
    expect(rows.map((row: any) => row.Cells.map((cell: any) => cell.Value))).toEqual([
      ['Advertising (400)', '12.50', '', '12.50', ''],
      ['Suspense (850)', '', '12.50', '', '12.50'],
    ]);
    const api = await fetch(`${xero.apiUrl}/Reports/TrialBalance?date=2026-03-31`, {
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${xero.fake.issueAccessToken().accessToken}`,
        'xero-tenant-id': xero.fake.tenantId,
      },
    });
    expect(((await api.json()) as any).Reports[0].Rows).toEqual(admin.body.Reports[0].Rows);
  });

  it("QuickBooks: GET /quickbooks/__admin/trial-balance?end_date= gives the company's report with no token", async () => {
    const added = await fetch(`${quickbooks.origin}/quickbooks/__admin/journal`, {
      method: 'POST',
      body: JSON.stringify({
        action: 'add',
        date: '2026-03-10',
        lines: [
          { accountId: '10', amount: '12.50' },
          { accountId: '1', amount: '-12.50' },
        ],
      }),
    });
    expect(added.status).toBe(200);
    const admin = await curl(`${quickbooks.origin}/quickbooks/__admin/trial-balance?end_date=2026-03-31`);
    expect(admin.status).toBe(200);
    const rows = admin.body.Rows.Row.map((row: any) =>
      (row.ColData ?? row.Summary.ColData).map((cell: any) => cell.value),
    );
    expect(rows.at(-1)).toEqual(['TOTAL', '12.50', '12.50']);
    expect(rows).toHaveLength(3);
  });
});
