export { Ledger, entryContentHash, type AccountBalance, type AppendOutcome, type BookLineRow, type EntryWindow, type TrialBalance } from './ledger.js';
export { LedgerStore } from '../store/index.js';
