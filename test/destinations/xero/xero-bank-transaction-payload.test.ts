import { BankTransaction, ObjectSerializer } from 'xero-node';
import { describe, expect, it } from 'vitest';
import {
  xeroBankTransaction,
  xeroBankTransactionKey,
} from '../../../src/destinations/xero/xero-bank-transaction-payload.js';
import { DEFAULT_TAX_CHART } from '../../rules/default-chart.js';

const payout = {
  itemId: 'payelancer:ads-publisher:payout:2026-03-31',
  kind: 'payout',
  amount: 73_540_000n,
  currency: 'USD',
  date: '2026-04-02',
  clearingAccount: 'payout_clearing_paypal',
  bankAccount: '090',
} as const;
const mapping = { payout_clearing_paypal: { code: '631' } };

describe('xeroBankTransaction', () => {
  it("xero-node's serializer (generated from Xero's published spec) turns a payout's bank leg into exactly this RECEIVE", () => {
    const transaction = xeroBankTransaction(payout, mapping);
    expect(JSON.stringify(ObjectSerializer.serialize({ bankTransactions: [transaction] }, 'BankTransactions'))).toBe(
      '{"BankTransactions":[{"Type":"RECEIVE","Contact":{"Name":"ads-publisher"},"LineItems":[{"Description":"Payout payelancer:ads-publisher:payout:2026-03-31 at the bank","AccountCode":"631","LineAmount":73.54}],"BankAccount":{"Code":"090"},"Date":"2026-04-02","Reference":"payelancer:ads-publisher:payout:2026-03-31","LineAmountTypes":"NoTax"}]}',
    );
  });

  it("sends only fields of the spec's BankTransaction, with its required ones (Type, LineItems, BankAccount)", () => {
    const fields = BankTransaction.getAttributeTypeMap().map((attribute) => attribute.name);
    const sent = Object.keys(xeroBankTransaction(payout, mapping));
    expect(sent.filter((field) => !fields.includes(field))).toEqual([]);
    expect(sent).toEqual(expect.arrayContaining(['type', 'lineItems', 'bankAccount']));
  });

  it('a top-up is money spent from the bank, coded to its clearing account; sub-cent micro-units round half-even to the cent the bank moves', () => {
    expect(
      xeroBankTransaction(
        { ...payout, itemId: 'panel:smm-panel:topup:2026-03-17', kind: 'topup', amount: 49_445_000n },
        mapping,
      ),
    ).toMatchObject({
      type: 'SPEND',
      contact: { name: 'smm-panel' },
      lineItems: [{ accountCode: '631', lineAmount: 49.44 }],
    });
  });

  it("an adjusting entry of a statement line is money spent, coded to its other account, under the entry's id", () => {
    const fee = {
      ...payout,
      itemId: 'je:adjustment:2026-03-31:2',
      kind: 'topup',
      amount: 9_000_000n,
      clearingAccount: 'bank_fees',
    } as const;
    expect(xeroBankTransaction(fee, { bank_fees: { code: '404' } })).toMatchObject({
      type: 'SPEND',
      contact: { name: 'Bank statement' },
      lineItems: [
        { description: 'Statement line booked by je:adjustment:2026-03-31:2', accountCode: '404', lineAmount: 9 },
      ],
      reference: 'je:adjustment:2026-03-31:2',
    });
  });

  it('a clearing account the mapping does not name is a ConfigError naming the ledger account and the item', () => {
    expect(() => xeroBankTransaction({ ...payout, clearingAccount: 'topup_clearing' }, mapping)).toThrow(
      /ledger account "topup_clearing" has no Xero mapping.*payout:2026-03-31/,
    );
  });

  it('the idempotency key follows the body: the same transaction the same key, another bank account another key, under 128 characters', () => {
    const key = xeroBankTransactionKey(xeroBankTransaction(payout, mapping));
    expect(key).toBe(xeroBankTransactionKey(xeroBankTransaction(payout, mapping)));
    expect(key).not.toBe(xeroBankTransactionKey(xeroBankTransaction({ ...payout, bankAccount: '091' }, mapping)));
    expect(key.length).toBeLessThanOrEqual(128);
  });

  it("carries the code the ledger counts an adjusting entry's coded line under, tax inclusive as the journals (issue 82)", () => {
    const fee = {
      ...payout,
      itemId: 'je:adjustment:2026-03-31:2',
      kind: 'topup',
      amount: 9_000_000n,
      clearingAccount: 'bank_fees',
      sourceId: 'adjustments',
    } as const;
    const tax = { chart: DEFAULT_TAX_CHART, flows: { bank_fees: [{ code: 'INPUT2', rate: '20' }] } };
    const coded = xeroBankTransaction(fee, { bank_fees: { code: '404' } }, tax);
    expect(JSON.stringify(ObjectSerializer.serialize({ bankTransactions: [coded] }, 'BankTransactions'))).toContain(
      '"LineItems":[{"Description":"Statement line booked by je:adjustment:2026-03-31:2","AccountCode":"404","TaxType":"INPUT2","LineAmount":9}]',
    );
    expect(JSON.stringify(ObjectSerializer.serialize(coded, 'BankTransaction'))).toContain(
      '"LineAmountTypes":"Inclusive"',
    );
    // Uncoded (no tax section, or a payout's clearing account no rule codes): as before, NoTax and no TaxType.
    expect(xeroBankTransaction(fee, { bank_fees: { code: '404' } })).toMatchObject({ lineAmountTypes: 'NoTax' });
    expect(xeroBankTransaction(payout, mapping, tax)).toEqual(xeroBankTransaction(payout, mapping));
  });
});
