import { createHash } from 'node:crypto';
import { toCents } from '../../money/index.js';
import type { BankDocumentRequest } from '../bank-document-client.js';
import { mappedAccount, type AccountMapping } from '../delivery/account-mapping.js';
import { centsAsJsonNumber } from '../delivery/cents-number.js';
import type { XeroAccount } from './xero-payload.js';
import { xeroBankDocumentTaxType, type XeroTaxSetup } from './xero-tax.js';

/**
 * A BankTransaction as xero-node's model holds it (XOAS `BankTransaction`, RECEIVE or SPEND): serialised to Type,
 * Contact, BankAccount, LineItems, LineAmountTypes, Date, Reference.
 */
export interface XeroBankTransaction {
  type: 'RECEIVE' | 'SPEND';
  contact: { name: string };
  bankAccount: { code: string };
  lineItems: { description: string; accountCode: string; lineAmount: number; taxType?: string }[];
  lineAmountTypes: 'NoTax' | 'Inclusive';
  date: string;
  reference: string;
}

/**
 * The bank transaction for one payout's or top-up's bank leg, as Xero's bank-feed teams book a settlement: money
 * received into (a payout) or spent from (a top-up) the bank account, its one line coded to the clearing account
 * (a current asset: Xero takes no manual journal on a bank account, and no transfer from an account that is not a
 * bank), dated the day the bank booked it, of what the bank moved, in cents half-even, the item's id as its
 * Reference (how it is found again), its source as the Contact. Xero's reconcile screen matches it to the feed line.
 * An adjusting entry of a statement line no item took (the rent) goes the same way, coded to its other account.
 * Example: payout payelancer:ads-publisher:payout:2026-03-31, 73.54 arrived on 04-02 from payout_clearing_paypal
 * (631) to 090 → { type: RECEIVE, contact: {name: 'ads-publisher'}, bankAccount: {code: '090'},
 * lineItems: [{ accountCode: '631', lineAmount: 73.54, … }], lineAmountTypes: NoTax, date: '2026-04-02', reference: the item id }.
 * A line the ledger codes carries its code, its amount tax inclusive as the journals' (issue 82): a 9.00 bank charge,
 * `tax.bank_fees` INPUT2 → SPEND, lineItems [{ accountCode: '404', lineAmount: 9.00, taxType: INPUT2 }], Inclusive,
 * of which Xero keeps 1.50 as tax (9.00 × 20 / 120).
 */
export function xeroBankTransaction(
  request: BankDocumentRequest,
  mapping: AccountMapping<XeroAccount>,
  tax?: XeroTaxSetup,
): XeroBankTransaction {
  const clearing = mappedAccount(mapping, request.clearingAccount, request.itemId, 'Xero').code;
  const taxType = xeroBankDocumentTaxType(request, tax);
  const line = {
    description: describe(request),
    accountCode: clearing,
    lineAmount: centsAsJsonNumber(toCents(request.amount)),
  };
  return {
    type: request.kind === 'payout' ? 'RECEIVE' : 'SPEND',
    contact: { name: counterpartyOf(request.itemId) },
    bankAccount: { code: request.bankAccount },
    lineItems: [taxType === undefined ? line : { ...line, taxType }],
    lineAmountTypes: taxType === undefined ? 'NoTax' : 'Inclusive',
    date: request.date,
    reference: request.itemId,
  };
}

/**
 * The source an item id names (its second part: `payelancer:ads-publisher:payout:2026-03-31` → ads-publisher); for
 * an adjusting entry of a statement line (an entry id, `je:adjustment:…`), the bank's statement.
 */
function counterpartyOf(itemId: string): string {
  if (itemId.startsWith('je:')) return 'Bank statement';
  const parts = itemId.split(':');
  return parts.length >= 3 && parts[1] !== '' ? parts[1]! : itemId;
}

/** "Payout … at the bank", "Top-up … at the bank", or "Statement line booked by je:adjustment:…". */
function describe(request: BankDocumentRequest): string {
  if (request.itemId.startsWith('je:')) return `Statement line booked by ${request.itemId}`;
  return `${request.kind === 'payout' ? 'Payout' : 'Top-up'} ${request.itemId} at the bank`;
}

/**
 * The Idempotency-Key of a bank transaction's create: its body hashed, so a resend of the same transaction
 * replays Xero's first answer and a changed one (another bank account) is a new request. 70 characters, under
 * Xero's 128.
 */
export function xeroBankTransactionKey(transaction: XeroBankTransaction): string {
  return `ll-bx:${createHash('sha256').update(JSON.stringify(transaction)).digest('hex')}`;
}
