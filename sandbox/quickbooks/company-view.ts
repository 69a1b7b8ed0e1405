import type { TokenBookSnapshot } from '../fake-kit/index.js';
import type { QuickBooksStoredAttachable } from './attachables.js';
import type { QuickBooksStoredDeposit, QuickBooksStoredTransfer } from './bank-documents.js';
import type { QuickBooksCompany, QuickBooksRequestIdReplay, QuickBooksStoredEntry } from './company.js';

/** Each company's books as a test reads them and as `ledgerline sandbox --resume` keeps them. */

/** One company's books as the fake keeps them. */
export interface QuickBooksCompanyView {
  readonly realmId: string;
  readonly companyName: string;
  /** Closes the books through `date` (entries on or before it are refused); null reopens them (also POST /quickbooks/__admin/close-date, the first company's). */
  setBookCloseDate(date: string | null): void;
  journalEntries(): readonly QuickBooksStoredEntry[];
  requestIdReplays(): readonly QuickBooksRequestIdReplay[];
  transfers(): readonly QuickBooksStoredTransfer[];
  deposits(): readonly QuickBooksStoredDeposit[];
  attachables(): readonly QuickBooksStoredAttachable[];
}

/** What `ledgerline sandbox --resume` keeps of one company between runs. */
export interface QuickBooksCompanyBooks {
  entries: QuickBooksStoredEntry[];
  transfers: QuickBooksStoredTransfer[];
  deposits: QuickBooksStoredDeposit[];
  attachables: QuickBooksStoredAttachable[];
  bookCloseDate: string | undefined;
  entriesCreated: number;
  tokens: TokenBookSnapshot;
}

export function companyView(company: QuickBooksCompany): QuickBooksCompanyView {
  return {
    realmId: company.realmId,
    companyName: company.companyName,
    setBookCloseDate: (date) => {
      company.bookCloseDate = date ?? undefined;
    },
    journalEntries: () =>
      company.entries.map((entry) => ({ ...entry, lines: entry.lines.map((line) => ({ ...line })) })),
    requestIdReplays: () => company.replays.map((replay) => ({ ...replay })),
    transfers: () => company.transfers.map((transfer) => ({ ...transfer })),
    deposits: () => company.deposits.map((deposit) => ({ ...deposit })),
    attachables: () => company.attachables.map((attachable) => ({ ...attachable })),
  };
}

export function companyBooks(company: QuickBooksCompany): QuickBooksCompanyBooks {
  return {
    entries: [...company.entries],
    transfers: [...company.transfers],
    deposits: [...company.deposits],
    attachables: [...company.attachables],
    bookCloseDate: company.bookCloseDate,
    entriesCreated: company.entriesCreated,
    tokens: company.tokens.snapshot(),
  };
}

export function restoreCompany(company: QuickBooksCompany, books: QuickBooksCompanyBooks): void {
  company.entries.splice(0, company.entries.length, ...books.entries);
  company.transfers.splice(0, company.transfers.length, ...books.transfers);
  company.deposits.splice(0, company.deposits.length, ...books.deposits);
  company.attachables.splice(0, company.attachables.length, ...books.attachables);
  company.bookCloseDate = books.bookCloseDate;
  company.entriesCreated = books.entriesCreated;
  company.tokens.restoreFrom(books.tokens);
}
