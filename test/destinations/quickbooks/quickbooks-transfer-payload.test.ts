import { describe, expect, it } from 'vitest';
import {
  quickbooksTransfer,
  quickbooksTransferRequestId,
} from '../../../src/destinations/quickbooks/quickbooks-transfer-payload.js';
import { FINANCE_XSD_TRANSACTION } from '../../support/finance-xsd.js';

/**
 * The elements Intuit's Finance.xsd gives a Transfer (intuit/QuickBooks-V3-Java-SDK,
 * ipp-v3-java-data/src/main/xsd/Finance.xsd, complexType Transfer), besides the Transaction's (test/support/finance-xsd.ts).
 */
const TRANSFER_ELEMENTS = ['FromAccountRef', 'ToAccountRef', 'Amount', 'ClassRef', 'TransferEx'];

const payout = {
  itemId: 'po-7',
  kind: 'payout',
  amount: 312_400_000n,
  currency: 'USD',
  date: '2026-11-14',
  clearingAccount: 'payout_clearing_paypal',
  bankAccount: '1',
} as const;
const mapping = { payout_clearing_paypal: { id: '5', name: 'Payout Clearing PayPal' } };

describe('quickbooksTransfer', () => {
  it('a payout is exactly this Transfer body: clearing to bank, dated when due, its item id in the note', () => {
    expect(JSON.stringify(quickbooksTransfer(payout, mapping))).toBe(
      '{"FromAccountRef":{"value":"5"},"ToAccountRef":{"value":"1"},"Amount":312.4,"TxnDate":"2026-11-14","PrivateNote":"ledgerline payout [po-7]"}',
    );
  });

  it("sends only elements of Finance.xsd's Transfer and Transaction", () => {
    const sent = Object.keys(quickbooksTransfer(payout, mapping));
    expect(
      sent.filter((element) => !TRANSFER_ELEMENTS.includes(element) && !FINANCE_XSD_TRANSACTION.includes(element)),
    ).toEqual([]);
  });

  it('a top-up goes from the bank to its clearing account', () => {
    expect(quickbooksTransfer({ ...payout, kind: 'topup', itemId: 'tu-1' }, mapping)).toMatchObject({
      FromAccountRef: { value: '1' },
      ToAccountRef: { value: '5' },
      PrivateNote: 'ledgerline topup [tu-1]',
    });
  });

  it("the requestid is the same for the same transfer, another for another, and within Intuit's 50 characters", () => {
    const id = quickbooksTransferRequestId(quickbooksTransfer(payout, mapping));
    expect(id).toBe(quickbooksTransferRequestId(quickbooksTransfer(payout, mapping)));
    expect(id).not.toBe(quickbooksTransferRequestId(quickbooksTransfer({ ...payout, amount: 312_410_000n }, mapping)));
    expect(id.length).toBeLessThanOrEqual(50);
  });
});
