export { LedgerStore } from './ledger-store.js';
export * from './schema.js';
