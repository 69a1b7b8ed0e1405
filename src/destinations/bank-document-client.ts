import { z } from 'zod';
import { configFields } from '../config/index.js';

/**
 * One bank-side document to create at a destination: for a payout a transfer from its clearing account to the
 * bank account (the money arriving), for a top-up one from the bank account to the top-up clearing account (the
 * money leaving to fund it). The item's id is the document's Reference, which is how it is found again.
 * Example: payout po-7 of 312.40 USD due 2026-11-14 from payout_clearing_paypal (631 in mappings/xero.yaml) →
 * Xero BankTransfer 312.40 from 631 to 090 (the configured bank account), Reference "po-7", Date 2026-11-14.
 */
export interface BankDocumentRequest {
  /** The payout's or top-up's id: the document's Reference. */
  itemId: string;
  kind: 'payout' | 'topup';
  /** Micro-units, positive. */
  amount: bigint;
  currency: string;
  /** The day it is due at the bank, YYYY-MM-DD. */
  date: string;
  /** The ledger account the item sits in until it reaches the bank (payout_clearing_paypal, topup_clearing): the client maps it as journals are mapped. */
  clearingAccount: string;
  /** The destination's own bank account (Xero code, QuickBooks id): `transit.bankAccount` in its section. */
  bankAccount: string;
}

/** A bank-side document as the destination holds it. */
export interface BankDocumentState {
  documentId: string;
  /** Matched to a bank-statement line in the destination's reconcile screen (Xero: IsReconciled on the bank side; QuickBooks: cleared). */
  reconciled: boolean;
}

/**
 * What creating bank-side documents needs of a destination. `create` returns the document's id, or throws
 * OutcomeUnknownError when the destination may or may not have created it (the caller looks the reference up
 * before creating again), or another LedgerlineError when it certainly did not.
 */
export interface BankDocumentClient {
  /** As messages name it: "Xero", "QuickBooks". */
  readonly name: string;
  /** The documents the destination holds under these requests' references, by item id (a destination may narrow its search by their dates). */
  findByReference(requests: readonly BankDocumentRequest[]): Promise<Map<string, BankDocumentState>>;
  create(request: BankDocumentRequest): Promise<string>;
  /** The documents with these ids, each with its reconciled flag; an id the destination no longer holds is absent. */
  read(documentIds: readonly string[]): Promise<Map<string, BankDocumentState>>;
}

/** Whichever way the money goes, given the clearing account as the destination names it: a payout from clearing to bank, a top-up from bank to clearing. */
export function transferAccounts(request: BankDocumentRequest, clearing: string): { from: string; to: string } {
  return request.kind === 'payout' ? { from: clearing, to: request.bankAccount } : { from: request.bankAccount, to: clearing };
}

/**
 * `transit` in a destination's section of ledgerline.yaml: whether ledgerline creates the bank-side document for
 * each payout and top-up there, and the destination's bank account they arrive in or leave from (a Xero code,
 * a QuickBooks id). The clearing accounts come from the destination's mapping.
 * Example: `transit: { createBankDocuments: true, bankAccount: "090" }`.
 */
export const bankDocumentsSetting = z.strictObject({ createBankDocuments: z.boolean(), bankAccount: configFields.text });
export type BankDocumentsSetting = z.output<typeof bankDocumentsSetting>;
