import type { AdjustmentBooks, AdjustmentBooksTx } from '../pipeline/adjustments/adjustment-books.js';
import type { AdjustmentRecord } from '../ledger/index.js';
import {
  adjustmentOfKey,
  adjustmentRows,
  approveAdjustment,
  countAdjustments,
  recordAdjustment,
  recordAdjustmentKey,
} from './adjustments.js';
import type { LedgerStore, LedgerTx } from './ledger-store.js';

/** The reads, over the store or a unit's `tx`. */
const adjustmentReadsOver = (store: LedgerStore) => ({
  count: () => countAdjustments(store),
  all: () => adjustmentRows(store),
  ofKey: (key: string) => adjustmentOfKey(store, key),
});

/** The writes and reads of one unit of work, over its `tx`. */
const adjustmentBooksTxOver = (tx: LedgerTx) =>
  ({
    ...adjustmentReadsOver(tx),
    record: (adjustment: Omit<AdjustmentRecord, 'approval' | 'date'>) => recordAdjustment(tx, adjustment),
    approve: (entryId: string, approval: { by: string; at: string }) => approveAdjustment(tx, entryId, approval),
    recordKey: (key: { key: string; entryId: string; requestSha256: string }) => recordAdjustmentKey(tx, key),
  }) satisfies AdjustmentBooksTx;

/** Adjusting entries' records (`AdjustmentBooks`, pipeline/adjustments/adjustment-books.ts) over the store: reads, and the writes in a unit. */
export const adjustmentBooksOver = (store: LedgerStore) =>
  ({
    ...adjustmentReadsOver(store),
    unit: <T>(work: (tx: AdjustmentBooksTx) => Promise<T>): Promise<T> =>
      store.unitOfWork((tx) => work(adjustmentBooksTxOver(tx))),
  }) satisfies AdjustmentBooks;
