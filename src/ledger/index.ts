export { Ledger, entryContentHash, type AccountBalance, type AppendOutcome, type TrialBalance } from './ledger.js';
export type { BalanceFilter, BookLineRow, EntryToBook, EntryWindow, JournalBooks, JournalLineRow, LineCents, RenderedEntryToBook, RenderedLineRow } from './journal-books.js';
