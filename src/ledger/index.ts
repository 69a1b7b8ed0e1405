export { Ledger, entryContentHash, type AccountBalance, type AppendOutcome, type TrialBalance } from './ledger.js';
export type { BalanceFilter, BookLineRow, EntryToBook, EntryWindow, JournalBooks, JournalLineRow, LineCents, RenderedEntryToBook, RenderedLineRow } from './journal-books.js';
export { BALANCE_PERIODS, type AbandonedRun, type AccountTotalsFilter, type BalancePeriod, type Delivery, type DeliveryOutcome, type DeliveryState, type DeliverySummary, type DeliveryWindow, type LedgerCounts, type RunOutcome, type SentRate } from './book-records.js';
