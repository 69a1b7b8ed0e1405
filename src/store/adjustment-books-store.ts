import type { AdjustmentRecord } from '../ledger/index.js';
import { adjustmentRows, approveAdjustment, countAdjustments, recordAdjustment } from './adjustments.js';
import type { LedgerStore } from './ledger-store.js';

/** Adjusting entries' records (`AdjustmentBooks`, pipeline/reports/adjustment-books.ts) over the store. */
export const adjustmentBooksOver = (store: LedgerStore) => ({
  count: () => countAdjustments(store),
  record: (adjustment: Omit<AdjustmentRecord, 'approval' | 'date'>) => recordAdjustment(store, adjustment),
  approve: (entryId: string, approval: { by: string; at: string }) => approveAdjustment(store, entryId, approval),
  all: () => adjustmentRows(store),
});
