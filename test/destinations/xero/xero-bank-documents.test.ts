import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutcomeUnknownError, RequestRejectedError } from '../../../src/errors.js';
import type { BankDocumentRequest } from '../../../src/destinations/index.js';
import { startXeroFake, type RunningXeroFake } from '../../../sandbox/xero/fake.js';
import { useTempDir } from '../../support/temp-dir.js';
import { clientHarness, xeroBankDocumentsFor } from '../../pipeline/post-fixtures.js';

const tempDir = useTempDir('ledgerline-xero-bank-');
/** The default chart: the clearing accounts are current assets, 090 the one bank account. */
let server: RunningXeroFake;

beforeAll(async () => {
  server = await startXeroFake();
});
afterAll(async () => {
  await server.close();
});

function client() {
  return xeroBankDocumentsFor(server, clientHarness(tempDir()));
}

function payout(itemId: string, extra: Partial<BankDocumentRequest> = {}): BankDocumentRequest {
  return {
    itemId,
    kind: 'payout',
    amount: 312_400_000n,
    currency: 'USD',
    date: '2026-11-14',
    clearingAccount: 'payout_clearing_paypal',
    bankAccount: '090',
    ...extra,
  };
}

/** A raw API call to the fake, as xero-node would send it. */
async function api(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${server.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.fake.issueAccessToken().accessToken}`,
      'xero-tenant-id': server.fake.tenantId,
      accept: 'application/json',
      'content-type': 'application/json',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const refusals = (json: Record<string, unknown>) =>
  (json.Elements as { ValidationErrors: { Message: string }[] }[]).map((element) =>
    element.ValidationErrors.map((error) => error.Message),
  );

describe('Xero bank transactions for bank legs (fake and client)', () => {
  it('a payout is money received into the bank, coded to its clearing account (a current asset), Reference = item id, not reconciled', async () => {
    const bank = client();
    const id = await bank.create(payout('po-1'));
    const stored = server.fake.bankTransactions().find((transaction) => transaction.bankTransactionId === id);
    expect(stored).toMatchObject({
      type: 'RECEIVE',
      bankAccount: { code: '090' },
      lines: [{ accountCode: '631', cents: 31_240n }],
      date: '2026-11-14',
      reference: 'po-1',
      isReconciled: false,
    });
    expect(await bank.findByReference([payout('po-1'), payout('po-none')])).toEqual(
      new Map([['po-1', { documentId: id, reconciled: false }]]),
    );
    const read = await api('GET', `/BankTransactions/${id}`);
    expect(read.json.BankTransactions).toMatchObject([
      {
        Type: 'RECEIVE',
        BankAccount: { Code: '090' },
        LineItems: [{ AccountCode: '631', LineAmount: 312.4 }],
        LineAmountTypes: 'NoTax',
        Status: 'AUTHORISED',
        Total: 312.4,
      },
    ]);
  });

  it('a top-up is money spent from the bank, coded to its clearing account', async () => {
    const id = await client().create(payout('tu-1', { kind: 'topup', clearingAccount: 'topup_clearing' }));
    expect(server.fake.bankTransactions().find((transaction) => transaction.bankTransactionId === id)).toMatchObject({
      type: 'SPEND',
      bankAccount: { code: '090' },
      lines: [{ accountCode: '634' }],
      reference: 'tu-1',
    });
  });

  it('the admin reconcile call (the person at the reconcile screen) is read back as reconciled', async () => {
    const bank = client();
    const id = await bank.create(payout('po-2'));
    const response = await fetch(`${server.origin}/xero/__admin/reconcile`, {
      method: 'POST',
      body: JSON.stringify({ id }),
    });
    expect([response.status, await response.json()]).toEqual([200, { reconciled: id, side: 'to' }]);
    expect(await bank.read([id, '00000000-0000-4000-8000-000000000000'])).toEqual(
      new Map([[id, { documentId: id, reconciled: true }]]),
    );
    const unknown = await fetch(`${server.origin}/xero/__admin/reconcile`, {
      method: 'POST',
      body: JSON.stringify({ id: 'nope' }),
    });
    expect(unknown.status).toBe(404);
  });

  it('Xero refuses one into an account that is not a bank, coded to a bank account, or in a locked period, and keeps none', async () => {
    const before = server.fake.bankTransactions().length;
    await expect(client().create(payout('po-3', { bankAccount: '631' }))).rejects.toThrow(
      /HTTP 400.*The BankAccount must be an active bank account; 631/,
    );
    const toBank = await api('PUT', '/BankTransactions', {
      Type: 'RECEIVE',
      Contact: { Name: 'x' },
      BankAccount: { Code: '090' },
      LineItems: [{ AccountCode: '090', LineAmount: 1 }],
    });
    expect([toBank.status, refusals(toBank.json)]).toEqual([
      400,
      [["Line 1: Account code '090' is a bank account: money between two bank accounts is a bank transfer."]],
    ]);
    server.fake.setLockDates({ periodLockDate: '2026-11-30' });
    await expect(client().create(payout('po-6'))).rejects.toThrow(
      /The document date cannot be before the period lock date, currently set at 30-Nov-2026/,
    );
    server.fake.setLockDates({ periodLockDate: null });
    expect(server.fake.bankTransactions()).toHaveLength(before);
  });

  it('a lost reply is an unknown outcome; the transaction it created is found by its reference', async () => {
    const bank = client();
    server.fake.injectFault({ kind: 'drop-after-commit' });
    await expect(bank.create(payout('po-4'))).rejects.toBeInstanceOf(OutcomeUnknownError);
    expect((await bank.findByReference([payout('po-4')])).get('po-4')?.documentId).toBe(
      server.fake.bankTransactions().find((transaction) => transaction.reference === 'po-4')?.bankTransactionId,
    );
  });

  it('a refused create is a RequestRejectedError naming the item', async () => {
    await expect(client().create(payout('po-5', { bankAccount: '999' }))).rejects.toSatisfy(
      (error) => error instanceof RequestRejectedError && /po-5/.test(error.message),
    );
  });
});

describe('Xero bank transfers (fake)', () => {
  it('refuses a transfer out of an account that is not a bank account (a clearing account is a current asset), between one account and itself, or of nothing', async () => {
    const fromClearing = await api('PUT', '/BankTransfers', {
      BankTransfers: [{ FromBankAccount: { Code: '631' }, ToBankAccount: { Code: '090' }, Amount: 12.5 }],
    });
    expect([fromClearing.status, refusals(fromClearing.json)]).toEqual([
      400,
      [['The FromBankAccount must be an active bank account; 631 (Payout Clearing - PayPal) is not.']],
    ]);
    const refused = await api('PUT', '/BankTransfers', {
      BankTransfers: [{ FromBankAccount: { Code: '090' }, ToBankAccount: { Code: '090' }, Amount: 0 }],
    });
    expect([refused.status, refusals(refused.json)]).toEqual([
      400,
      [['The From and To bank accounts must be different.', 'The Amount must be greater than zero.']],
    ]);
    expect(server.fake.bankTransfers()).toEqual([]);
  });
});

describe('Xero bank transactions (fake)', () => {
  it('keeps a RECEIVE with its Reference, filters by Reference, and marks it reconciled', async () => {
    const created = await api('PUT', '/BankTransactions', {
      BankTransactions: [
        {
          Type: 'RECEIVE',
          Contact: { Name: 'Payelancer' },
          BankAccount: { Code: '090' },
          LineItems: [{ AccountCode: '611', LineAmount: 12.5 }],
          Reference: 'po-9',
          Date: '2026-11-14',
        },
      ],
    });
    expect(created.status).toBe(200);
    const id = (created.json.BankTransactions as { BankTransactionID: string }[])[0]?.BankTransactionID ?? '';
    server.fake.markReconciled(id);
    const listed = await api('GET', `/BankTransactions?where=${encodeURIComponent('Reference=="po-9"')}`);
    expect(listed.json.BankTransactions).toMatchObject([
      { BankTransactionID: id, Type: 'RECEIVE', Reference: 'po-9', IsReconciled: true, Total: 12.5 },
    ]);
  });

  it('refuses one without a Contact, on an account that is not a bank, or of another type', async () => {
    const refused = await api('PUT', '/BankTransactions', {
      Type: 'SPEND-TRANSFER',
      BankAccount: { Code: '611' },
      LineItems: [{ AccountCode: '611', LineAmount: 1 }],
    });
    expect(refused.status).toBe(400);
    expect(
      (refused.json.Elements as { ValidationErrors: { Message: string }[] }[])[0]?.ValidationErrors.map(
        (error) => error.Message,
      ),
    ).toEqual([
      'The Type SPEND-TRANSFER is not one this fake takes: RECEIVE or SPEND.',
      'A Contact must be specified.',
      'The BankAccount must be an active bank account; 611 (Payelancer Receivable) is not.',
    ]);
  });
});
