import type { JournalRule } from '../../config/index.js';
import type { BankDocumentClient, BankDocumentRequest } from '../../destinations/index.js';
import type { EventKind, TransitItem } from '../../rules/index.js';
import type { BankDocumentOutbox } from './bank-document-outbox.js';
import { createBankDocuments, type BankDocumentsReport } from './bank-documents.js';
import type { DeliveryWindow } from './post-outbox.js';

/** A destination's bank-side documents as its section sets them (`transit: { createBankDocuments: true, bankAccount }`). */
export interface BankDocumentsAt {
  client: BankDocumentClient;
  /** The destination's bank account the payouts arrive in and the top-ups leave from. */
  bankAccount: string;
}

/** What creating the transit's documents needs of the books: the payouts and top-ups, and this destination's outbox. */
export interface TransitDocumentBooks {
  transitItems(): Promise<TransitItem[]>;
  outbox: BankDocumentOutbox;
}

/**
 * The bank-side document of each payout and top-up a journal moved to its clearing account, reported in the
 * window: the clearing account is the one its journal rule moves it to (a payout's debit, a top-up's credit), the
 * date the day it is due at the bank (the day the source reported it).
 * Example: payout_paypal of 312.40 on 2026-11-14, rule "Dr payout_clearing_paypal, Cr payelancer_receivable",
 * bank account 090 → { itemId, kind: payout, amount 312.40, date 2026-11-14, clearingAccount payout_clearing_paypal, bankAccount 090 }.
 */
export function bankDocumentRequests(items: readonly TransitItem[], events: Readonly<Record<EventKind, JournalRule>>, bankAccount: string, window: DeliveryWindow): BankDocumentRequest[] {
  const inWindow = (day: string) => (window.from === undefined || day >= window.from) && (window.until === undefined || day <= window.until);
  return items
    .filter((item) => item.cleared && inWindow(item.reportedOn))
    .map((item) => {
      const rule = events[item.eventKind];
      const side = item.kind === 'payout' ? rule.debit : rule.credit;
      return { itemId: item.id, kind: item.kind, amount: item.amountMicros, currency: item.currency, date: item.reportedOn, clearingAccount: side[0]!.account, bankAccount };
    });
}

/** Creates the window's bank-side documents at a destination that asks for them, exactly once (createBankDocuments). */
export async function createTransitDocuments(
  at: BankDocumentsAt,
  books: TransitDocumentBooks,
  run: { events: Readonly<Record<EventKind, JournalRule>>; window: DeliveryWindow; now: () => string },
): Promise<BankDocumentsReport> {
  const requests = bankDocumentRequests(await books.transitItems(), run.events, at.bankAccount, run.window);
  return createBankDocuments(requests, books.outbox, at.client, { now: run.now });
}

/** `xero: 2 created, 1 found by its reference, 0 left open` (and the refused ones, which the next post tries again). */
export function bankDocumentsLine(name: string, report: BankDocumentsReport): string {
  const refused = report.refused.length > 0 ? `, ${report.refused.length} refused (${report.refused.map((refusal) => `${refusal.itemId}: ${refusal.reason}`).join('; ')})` : '';
  return `${name} bank-side documents: ${report.created.length} created, ${report.found.length} found by their reference, ${report.open.length} left open${refused}`;
}
