import { createHash } from 'node:crypto';
import { toCents } from '../../money/index.js';
import { transferAccounts, type BankDocumentRequest } from '../bank-document-client.js';
import { mappedAccount, type AccountMapping } from '../delivery/account-mapping.js';
import { centsAsJsonNumber } from '../delivery/cents-number.js';
import type { QuickbooksAccount } from './quickbooks-payload.js';

/** A Transfer as QuickBooks takes it (Finance.xsd `Transfer`: FromAccountRef, ToAccountRef, Amount; TxnDate and PrivateNote from `Transaction`). */
interface QuickbooksTransfer {
  FromAccountRef: { value: string };
  ToAccountRef: { value: string };
  Amount: number;
  TxnDate: string;
  PrivateNote: string;
}

/** A Transfer has no reference of its own: the item's id rides in the note in brackets, which keeps po-1 from matching po-10. */
function quickbooksTransferNote(request: Pick<BankDocumentRequest, 'itemId' | 'kind'>): string {
  return `ledgerline ${request.kind} [${request.itemId}]`;
}

/**
 * The Transfer for one payout or top-up, dated the day it is due at the bank, its amount in cents half-even.
 * Example: payout po-7, 312.40 from payout_clearing_paypal (mapped to 5) to bank 1 →
 * { FromAccountRef: {value: '5'}, ToAccountRef: {value: '1'}, Amount: 312.4, TxnDate: '2026-11-14', PrivateNote: 'ledgerline payout [po-7]' }.
 */
export function quickbooksTransfer(
  request: BankDocumentRequest,
  mapping: AccountMapping<QuickbooksAccount>,
): QuickbooksTransfer {
  const { from, to } = transferAccounts(
    request,
    mappedAccount(mapping, request.clearingAccount, request.itemId, 'QuickBooks').id,
  );
  return {
    FromAccountRef: { value: from },
    ToAccountRef: { value: to },
    Amount: centsAsJsonNumber(toCents(request.amount)),
    TxnDate: request.date,
    PrivateNote: quickbooksTransferNote(request),
  };
}

/** The requestid of a Transfer's create: its body hashed (42 characters, under Intuit's 50), so a resend is answered again unchanged. */
export function quickbooksTransferRequestId(transfer: QuickbooksTransfer): string {
  return `bt${createHash('sha256').update(JSON.stringify(transfer)).digest('hex').slice(0, 40)}`;
}
