import type { AdjustmentBooks } from '../pipeline/adjustments/adjustment-books.js';
import type { AdjustmentRecord } from '../ledger/index.js';
import {
  adjustmentOfKey,
  adjustmentRows,
  approveAdjustment,
  countAdjustments,
  recordAdjustment,
  recordAdjustmentKey,
} from './adjustments.js';
import type { LedgerStore } from './ledger-store.js';

/** Adjusting entries' records (`AdjustmentBooks`, pipeline/adjustments/adjustment-books.ts) over the store. */
export const adjustmentBooksOver = (store: LedgerStore) =>
  ({
    count: () => countAdjustments(store),
    record: (adjustment: Omit<AdjustmentRecord, 'approval' | 'date'>) => recordAdjustment(store, adjustment),
    approve: (entryId: string, approval: { by: string; at: string }) => approveAdjustment(store, entryId, approval),
    all: () => adjustmentRows(store),
    ofKey: (key: string) => adjustmentOfKey(store, key),
    recordKey: (key: { key: string; entryId: string; requestSha256: string }) =>
      store.unitOfWork((tx) => recordAdjustmentKey(tx, key)),
  }) satisfies AdjustmentBooks;
