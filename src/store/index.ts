export { LedgerStore } from './ledger-store.js';
export * from './schema.js';
export { insertNewEvents, registerOrders, saveOrderStates, type NewOrderRow, type OrderStateRow, type SourceEventRow } from './close-writes.js';
