export { Ledger, entryContentHash, type AccountBalance, type AppendOutcome, type TrialBalance } from './ledger.js';
export type { BalanceFilter, BookLineRow, EntryToBook, EntryWindow, JournalBooks, JournalLineRow, JournalSeal, LineCents, RenderedEntryToBook, RenderedLineRow } from './journal-books.js';
export { CHAIN_GENESIS, chainLink } from './entry-chain.js';
export { SEAL_GENESIS, SEALED_TABLES, rowDigest, rowKey, sealLink, type SealedTableName, type SealHead } from './row-seals.js';
export { ADD_OUTCOMES, BALANCE_PERIODS, type AbandonedRun, type AdjustmentRecord, type BankDocumentRecord, type BankDocumentRequest, type AddOutcomeKind, type AddOutcomeRecord, type AddRequestRecord, type CloseAfterRequest, type UnansweredAddRequest, type AccountTotalsFilter, type ChainLine, type ClosedPeriod, type BalancePeriod, type BookedFallExplanation, type CloseTaken, type LoggedClose, type Delivery, type DeliveryOutcome, type DeliveryState, type DeliverySummary, type DeliveryWindow, type LedgerCounts, type RunOutcome, type SentRate } from './book-records.js';
export { buildEvidence, type EvidenceMapping, type EvidenceRecord } from './entry-evidence.js';
