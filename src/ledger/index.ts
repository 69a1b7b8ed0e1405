export { Ledger, entryContentHash, type AccountBalance, type AppendOutcome, type EntryWindow, type TrialBalance } from './ledger.js';
export { unbalancedReason } from './balance-check.js';
export { renderCents } from './cent-rendering.js';
export { credit, debit, type JournalEntry, type JournalLine } from './journal-entry.js';
export type { RenderedEntry, RenderedLine } from './rendered-entry.js';
export { LedgerStore } from '../store/index.js';
