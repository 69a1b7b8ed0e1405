import type { JournalRule } from '../../config/index.js';
import type { BankDocumentClient, BankDocumentRequest } from '../../destinations/index.js';
import type { TransitItem } from '../../rules/index.js';
import type { BankDocumentOutbox } from './books/bank-document-outbox.js';
import { createBankDocuments, type BankDocumentsReport } from './bank-documents.js';
import type { DeliveryWindow } from './books/post-outbox.js';

/** A destination's bank-side documents as its section sets them (`transit: { createBankDocuments: true, bankAccount }`). */
export interface BankDocumentsAt {
  client: BankDocumentClient;
  /** The destination's bank account the payouts arrive in and the top-ups leave from. */
  bankAccount: string;
  /** The ledger's bank accounts whose two-line entries (an `adjust` of a statement line) get a document too (Xero); undefined: bank legs only. */
  bankLedgerAccounts?: ReadonlySet<string>;
}

/** What an item's bank leg (je:bank-leg:ITEM) moved: the day the bank booked it and the amount, micro-units, positive. */
interface BankLegMove {
  date: string;
  amountMicros: bigint;
}

/** An adjusting entry of a statement line no item took: the bank line's amount (+ in, − out) and the account on its other side. */
interface BankSideEntry {
  entryId: string;
  date: string;
  /** The entry's source (`adjustments`), by which the tax rules code its other line. */
  sourceId: string;
  currency: string;
  bankMicros: bigint;
  otherAccount: string;
}

/** What creating the transit's documents needs of the books: the payouts and top-ups, their bank legs by item id, and this destination's outbox. */
export interface TransitDocumentBooks {
  transitItems(): Promise<TransitItem[]>;
  bankLegs(): Promise<ReadonlyMap<string, BankLegMove>>;
  /** The two-line entries besides the bank legs with one line on these bank accounts (an `adjust` of a statement line), in book order. */
  bankSideEntries(bankAccounts: ReadonlySet<string>): Promise<BankSideEntry[]>;
  outbox: BankDocumentOutbox;
}

/**
 * The bank-side document of each payout and top-up a journal moved to its clearing account, out of the clearing
 * account its journal rule moved it to (a payout's debit, a top-up's credit). Two ways, as the books know the bank:
 * - `legs` given (the books import the bank's statements): one per bank leg booked in the window, of what the bank
 *   moved on the day it booked it; a fee the bank withheld is the person's adjusting entry, a journal of its own,
 *   so the destination's bank account reads as the statement does. An item still in transit has no leg and no
 *   document: clearing holds it here and there alike.
 * - no `legs` (the bank is reconciled at the destination only): one per item reported in the window, of its amount,
 *   dated the day it is due at the bank, for the destination's reconcile screen to match.
 * Example: payout_paypal of 76.04 reported 2026-03-31, rule "Dr payout_clearing_paypal, Cr payelancer_receivable",
 * bank account 090: its leg 73.54 on 2026-04-02 → { itemId, kind: payout, amount 73.54, date 2026-04-02,
 * clearingAccount payout_clearing_paypal, bankAccount 090 }; without legs → amount 76.04, date 2026-03-31.
 */
export function bankDocumentRequests(
  items: readonly TransitItem[],
  legs: ReadonlyMap<string, BankLegMove> | undefined,
  at: { events: Readonly<Record<string, JournalRule>>; bankAccount: string; window: DeliveryWindow },
): BankDocumentRequest[] {
  return items.flatMap((item) => {
    const moved = legs === undefined ? { date: item.reportedOn, amountMicros: item.amountMicros } : legs.get(item.id);
    if (!item.cleared || moved === undefined || !inWindow(at.window, moved.date)) return [];
    // The post reads the payouts and top-ups the chart file rules only (app/post-side-parts.ts): each has its rule.
    const rule = at.events[item.eventKind]!;
    const side = item.kind === 'payout' ? rule.debit : rule.credit;
    return [
      {
        itemId: item.id,
        kind: item.kind,
        amount: moved.amountMicros,
        currency: item.currency,
        date: moved.date,
        clearingAccount: side[0]!.account,
        bankAccount: at.bankAccount,
      },
    ];
  });
}

/** Whether a day falls in the delivery window, an end left open when it is not given. */
function inWindow(window: DeliveryWindow, day: string): boolean {
  return (window.from === undefined || day >= window.from) && (window.until === undefined || day <= window.until);
}

/**
 * The document of each adjusting entry of a statement line in the window, as a bank leg's: money in (kept as kind
 * payout) or out (kind topup) of the bank account, coded to the entry's other account, under the entry's id.
 * Example: je:adjustment:2026-03-31:2, Dr bank_fees 9.00 / Cr bank 9.00, bank account 090 → { itemId: the entry's
 * id, kind: topup, amount 9.00, date 2026-03-31, clearingAccount: bank_fees, bankAccount: 090 }.
 */
function bankSideRequests(
  entries: readonly BankSideEntry[],
  bankAccount: string,
  window: DeliveryWindow,
): BankDocumentRequest[] {
  return entries
    .filter((entry) => inWindow(window, entry.date))
    .map((entry) => ({
      itemId: entry.entryId,
      kind: entry.bankMicros > 0n ? ('payout' as const) : ('topup' as const),
      amount: entry.bankMicros > 0n ? entry.bankMicros : -entry.bankMicros,
      currency: entry.currency,
      date: entry.date,
      clearingAccount: entry.otherAccount,
      bankAccount,
      sourceId: entry.sourceId,
    }));
}

/** Creates the window's bank-side documents at a destination that asks for them, exactly once (createBankDocuments), as bankDocumentRequests says. */
export async function createTransitDocuments(
  at: BankDocumentsAt,
  books: TransitDocumentBooks,
  run: {
    events: Readonly<Record<string, JournalRule>>;
    window: DeliveryWindow;
    now: () => string;
    /** Whether a configured source lands the bank's statements (the caller asks the source kinds). */
    landsBankStatements: boolean;
  },
): Promise<BankDocumentsReport> {
  // The books import the bank's statements: the documents follow the bank legs.
  const legs = run.landsBankStatements ? await books.bankLegs() : undefined;
  const requests = bankDocumentRequests(await books.transitItems(), legs, {
    events: run.events,
    bankAccount: at.bankAccount,
    window: run.window,
  });
  if (legs !== undefined && at.bankLedgerAccounts !== undefined)
    requests.push(...bankSideRequests(await books.bankSideEntries(at.bankLedgerAccounts), at.bankAccount, run.window));
  return createBankDocuments(requests, books.outbox, at.client, { now: run.now });
}

/** `xero: 2 created, 1 found by its reference, 0 left open` (and the refused ones, which the next post tries again). */
export function bankDocumentsLine(name: string, report: BankDocumentsReport): string {
  const refused =
    report.refused.length > 0
      ? `, ${report.refused.length} refused (${report.refused.map((refusal) => `${refusal.itemId}: ${refusal.reason}`).join('; ')})`
      : '';
  return (
    `${name} bank-side documents: ${report.created.length} created, ${report.found.length} found ` +
    `by their reference, ${report.open.length} left open${refused}`
  );
}
