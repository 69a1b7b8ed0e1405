import { BankTransfer, ObjectSerializer } from 'xero-node';
import { describe, expect, it } from 'vitest';
import { xeroBankTransfer, xeroBankTransferKey } from '../../../src/destinations/xero/xero-bank-transfer-payload.js';

const payout = { itemId: 'po-7', kind: 'payout', amount: 312_400_000n, currency: 'USD', date: '2026-11-14', clearingAccount: 'payout_clearing_paypal', bankAccount: '090' } as const;
const mapping = { payout_clearing_paypal: { code: '631' } };

describe('xeroBankTransfer', () => {
  it("xero-node's serializer (generated from Xero's published spec) turns a payout into exactly this BankTransfers body", () => {
    const transfer = xeroBankTransfer(payout, mapping);
    expect(JSON.stringify(ObjectSerializer.serialize({ bankTransfers: [transfer] }, 'BankTransfers'))).toBe(
      '{"BankTransfers":[{"FromBankAccount":{"Code":"631"},"ToBankAccount":{"Code":"090"},"Amount":312.4,"Date":"2026-11-14","Reference":"po-7"}]}',
    );
  });

  it("sends only fields of the spec's BankTransfer, with its required ones (FromBankAccount, ToBankAccount, Amount)", () => {
    const fields = BankTransfer.getAttributeTypeMap().map((attribute) => attribute.name);
    const sent = Object.keys(xeroBankTransfer(payout, mapping));
    expect(sent.filter((field) => !fields.includes(field))).toEqual([]);
    expect(sent).toEqual(expect.arrayContaining(['fromBankAccount', 'toBankAccount', 'amount']));
  });

  it('a clearing account the mapping does not name is a ConfigError naming the ledger account and the item', () => {
    expect(() => xeroBankTransfer({ ...payout, clearingAccount: 'topup_clearing' }, mapping)).toThrow(/ledger account "topup_clearing" has no Xero mapping.*po-7/);
  });

  it('a top-up goes from the bank to its clearing account; sub-cent micro-units round half-even to the cent the bank moves', () => {
    expect(xeroBankTransfer({ ...payout, kind: 'topup', amount: 10_005_000n }, mapping)).toMatchObject({ fromBankAccount: { code: '090' }, toBankAccount: { code: '631' }, amount: 10 });
  });

  it('the idempotency key follows the body: the same transfer the same key, another bank account another key, under 128 characters', () => {
    const key = xeroBankTransferKey(xeroBankTransfer(payout, mapping));
    expect(key).toBe(xeroBankTransferKey(xeroBankTransfer(payout, mapping)));
    expect(key).not.toBe(xeroBankTransferKey(xeroBankTransfer({ ...payout, bankAccount: '091' }, mapping)));
    expect(key.length).toBeLessThanOrEqual(128);
  });
});
