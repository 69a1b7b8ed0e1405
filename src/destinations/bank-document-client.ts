import { z } from 'zod';
import { configFields } from '../config/index.js';
import type { BankDocumentRequest } from '../ledger/index.js';
import { toCents } from '../money/index.js';
import type { RemoteLine } from './destination-client.js';

export type { BankDocumentRequest };

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
  /** Closes the connections it holds. */
  close(): Promise<void>;
}

/** Whichever way the money goes, given the clearing account as the destination names it: a payout from clearing to bank, a top-up from bank to clearing. */
export function transferAccounts(request: BankDocumentRequest, clearing: string): { from: string; to: string } {
  return request.kind === 'payout'
    ? { from: clearing, to: request.bankAccount }
    : { from: request.bankAccount, to: clearing };
}

/** A document's move in its clearing account, as the destination names that account: out for a payout, in for a top-up (312.40 → −31240 cents). */
export function clearingMoveOf(document: BankDocumentRequest, clearing: string): RemoteLine {
  const cents = toCents(document.amount);
  return { account: clearing, cents: document.kind === 'payout' ? -cents : cents };
}

/**
 * `transit` in a destination's section of ledgerline.yaml: whether ledgerline creates the bank-side document for
 * each payout and top-up there, and the destination's bank account they arrive in or leave from (a Xero code,
 * a QuickBooks id). The clearing accounts come from the destination's mapping.
 * Example: `transit: { createBankDocuments: true, bankAccount: "090" }`.
 */
export const bankDocumentsSetting = z.lazy(() =>
  z.strictObject({
    createBankDocuments: z.boolean(),
    bankAccount: configFields.text,
  }),
);
export type BankDocumentsSetting = z.output<typeof bankDocumentsSetting>;
