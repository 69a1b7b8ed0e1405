export { LedgerStore } from './ledger-store.js';
export * from './schema.js';
export { insertNewEvents, registerOrders, saveOrderStates, type NewOrderRow, type OrderStateRow, type SourceEventRow } from './close-writes.js';
export { closeCount, closeReplies, recordReread, storedCloses, type StoredClose, type StoredReply } from './close-log.js';
export { readSourceState, writeSourceState } from './source-state.js';
export { forEachBookedOrderAmount, orderQuantities, recordOrderCorrections, wasQuarantined, type OrderCorrectionRecord } from './order-history.js';
export { countEntriesWithIdPrefix, dayNetByAccount } from './journal-reads.js';
export { runSummariesSince } from './run-history.js';
