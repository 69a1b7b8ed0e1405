import { createHash } from 'node:crypto';
import { toCents } from '../../money/index.js';
import { transferAccounts, type BankDocumentRequest } from '../bank-document-client.js';
import { mappedAccount, type AccountMapping } from '../csv/account-mapping.js';
import { centsAsJsonNumber } from '../csv/cents-number.js';
import type { XeroAccount } from './xero-payload.js';

/** A BankTransfer as xero-node's model holds it (XOAS `BankTransfer`): serialised to FromBankAccount, ToBankAccount, Amount, Date, Reference. */
export interface XeroBankTransfer {
  fromBankAccount: { code: string };
  toBankAccount: { code: string };
  amount: number;
  date: string;
  reference: string;
}

/**
 * The transfer for one payout or top-up: the item's id as its Reference (how it is found again), dated the day
 * it is due at the bank, its amount in cents half-even (the bank moves cents: 312.400000 → 312.40).
 * Example: payout po-7, 312.40 from payout_clearing_paypal (mapped to 631) to bank 090 →
 * { fromBankAccount: {code: '631'}, toBankAccount: {code: '090'}, amount: 312.4, date: '2026-11-14', reference: 'po-7' }.
 */
export function xeroBankTransfer(request: BankDocumentRequest, mapping: AccountMapping<XeroAccount>): XeroBankTransfer {
  const { from, to } = transferAccounts(request, mappedAccount(mapping, request.clearingAccount, request.itemId, 'Xero').code);
  return { fromBankAccount: { code: from }, toBankAccount: { code: to }, amount: centsAsJsonNumber(toCents(request.amount)), date: request.date, reference: request.itemId };
}

/**
 * The Idempotency-Key of a transfer's create: its reference and body hashed, so a resend of the same transfer
 * replays Xero's first answer and a changed one (another bank account) is a new request. 70 characters, under
 * Xero's 128.
 */
export function xeroBankTransferKey(transfer: XeroBankTransfer): string {
  return `ll-bt:${createHash('sha256').update(JSON.stringify(transfer)).digest('hex')}`;
}
