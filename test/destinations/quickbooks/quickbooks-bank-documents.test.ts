import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutcomeUnknownError, RequestRejectedError } from '../../../src/errors.js';
import type { BankDocumentRequest } from '../../../src/destinations/index.js';
import { startQuickBooksFake, type RunningQuickBooksFake } from '../../../sandbox/quickbooks/fake.js';
import { useTempDir } from '../../support/temp-dir.js';
import { clientHarness, quickbooksBankDocumentsFor, type ClientHarness } from '../../pipeline/post-fixtures.js';

const tempDir = useTempDir('ledgerline-qbo-bank-');
const REFRESH = 'qbo-bank-refresh-token-1';
let server: RunningQuickBooksFake;
let harness: ClientHarness;

beforeAll(async () => {
  harness = clientHarness(tempDir());
  server = await startQuickBooksFake({ refreshToken: REFRESH, now: () => harness.clock.now() });
});
afterAll(async () => {
  await server.close();
});

function client() {
  return quickbooksBankDocumentsFor(server, harness, REFRESH);
}

/** payout_clearing_paypal (Payout Clearing PayPal, 5 in mappings/quickbooks.yaml) to Checking (1), as the fake's chart has them. */
function payout(itemId: string, extra: Partial<BankDocumentRequest> = {}): BankDocumentRequest {
  return {
    itemId,
    kind: 'payout',
    amount: 312_400_000n,
    currency: 'USD',
    date: '2026-11-14',
    clearingAccount: 'payout_clearing_paypal',
    bankAccount: '1',
    ...extra,
  };
}

async function api(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${server.apiUrl}/v3/company/${server.fake.realmId}/${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.fake.issueAccessToken().accessToken}`,
      accept: 'application/json',
      'content-type': 'application/json',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('QuickBooks transfers (fake and client)', () => {
  it('a payout becomes one Transfer from clearing to bank, its item id in PrivateNote, found again by its date and note', async () => {
    const bank = client();
    const id = await bank.create(payout('po-1'));
    expect(server.fake.transfers().find((transfer) => transfer.id === id)).toMatchObject({
      fromAccountId: '5',
      toAccountId: '1',
      cents: 31_240n,
      txnDate: '2026-11-14',
      privateNote: 'ledgerline payout [po-1]',
      cleared: 'Uncleared',
    });
    expect(await bank.findByReference([payout('po-1'), payout('po-10')])).toEqual(
      new Map([['po-1', { documentId: id, reconciled: false }]]),
    );
  });

  it("the trial balance holds a transfer beside the journals, as Intuit's report does: out of clearing (5), into Checking (1)", async () => {
    const report = await api('GET', 'reports/TrialBalance?end_date=2026-11-14&minorversion=75');
    const rows = (report.json.Rows as { Row: { ColData?: { value: string; id?: string }[] }[] }).Row.flatMap((row) =>
      row.ColData === undefined ? [] : [[row.ColData[0]!.id, row.ColData[1]!.value, row.ColData[2]!.value]],
    );
    expect(rows).toEqual([
      ['1', '312.40', ''],
      ['5', '', '312.40'],
    ]);
  });

  it('the admin clear call (the person at the reconcile screen) is read back through the TransactionList report', async () => {
    const bank = client();
    const id = await bank.create(payout('po-2', { date: '2026-11-16' }));
    const response = await fetch(`${server.origin}/quickbooks/__admin/clear`, {
      method: 'POST',
      body: JSON.stringify({ id }),
    });
    expect([response.status, await response.json()]).toEqual([200, { id, cleared: 'Reconciled' }]);
    expect(await bank.read([id, '9999'])).toEqual(new Map([[id, { documentId: id, reconciled: true }]]));
  });

  it('QuickBooks refuses a transfer from an income account, between one account and itself, or of nothing, and keeps none', async () => {
    const before = server.fake.transfers().length;
    await expect(client().create(payout('po-3', { clearingAccount: 'ad_revenue' }))).rejects.toThrow(
      /HTTP 400.*FromAccountRef must be a Balance Sheet account; Ad Revenue is Revenue/,
    );
    const refused = await api('POST', 'transfer', {
      FromAccountRef: { value: '1' },
      ToAccountRef: { value: '1' },
      Amount: 0,
    });
    expect(refused.status).toBe(400);
    expect((refused.json.Fault as { Error: { code: string }[] }).Error.map((error) => error.code)).toEqual([
      '6000',
      '6000',
    ]);
    await expect(client().create(payout('po-4', { bankAccount: '77' }))).rejects.toBeInstanceOf(RequestRejectedError);
    expect(server.fake.transfers()).toHaveLength(before);
  });

  it('a lost reply is an unknown outcome; the transfer it created is found by its note', async () => {
    const bank = client();
    server.fake.injectFault({ kind: 'drop-after-commit' });
    await expect(bank.create(payout('po-5'))).rejects.toBeInstanceOf(OutcomeUnknownError);
    expect((await bank.findByReference([payout('po-5')])).get('po-5')?.documentId).toBe(
      server.fake.transfers().find((transfer) => transfer.privateNote?.endsWith('[po-5]'))?.id,
    );
  });
});

describe('QuickBooks deposits (fake)', () => {
  it('creates a Deposit to a bank account, answers it by id and in a query, and refuses one without lines', async () => {
    const created = await api('POST', 'deposit', {
      DepositToAccountRef: { value: '1' },
      TxnDate: '2026-11-14',
      Line: [{ Amount: 12.5, DetailType: 'DepositLineDetail', DepositLineDetail: { AccountRef: { value: '2' } } }],
    });
    expect(created.status).toBe(200);
    const id = (created.json.Deposit as { Id: string }).Id;
    expect((await api('GET', `deposit/${id}`)).json.Deposit).toMatchObject({
      Id: id,
      TotalAmt: 12.5,
      DepositToAccountRef: { value: '1' },
    });
    const queried = await api('GET', `query?query=${encodeURIComponent(`select * from Deposit where Id = '${id}'`)}`);
    expect((queried.json.QueryResponse as { Deposit: { Id: string }[] }).Deposit.map((deposit) => deposit.Id)).toEqual([
      id,
    ]);
    const refused = await api('POST', 'deposit', { DepositToAccountRef: { value: '1' } });
    expect([
      refused.status,
      (refused.json.Fault as { Error: { code: string; element: string }[] }).Error,
    ]).toMatchObject([400, [{ code: '2020', element: 'Line' }]]);
  });
});
