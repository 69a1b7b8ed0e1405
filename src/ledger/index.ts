export { Ledger, entryContentHash, type AccountBalance, type AppendOutcome, type EntryWindow, type TrialBalance } from './ledger.js';
export { LedgerStore } from '../store/index.js';
