import type { AdjustmentRecord } from '../../ledger/index.js';

export type { AdjustmentRecord };

/** What adjusting entries read of the books: on the port itself and in its unit alike. */
interface AdjustmentReads {
  /** How many adjusting entries are booked: the next one is numbered after them. */
  count(): Promise<number>;
  /** Every adjusting entry, oldest first. */
  all(): Promise<AdjustmentRecord[]>;
  /** The entry booked for an idempotency key (migration 0028) and the SHA-256 of its request; undefined when none was. */
  ofKey(key: string): Promise<{ entryId: string; requestSha256: string } | undefined>;
}

/** The port's writes, only in a unit of work (`AdjustmentBooks.unit` hands them): what it writes commits whole or not at all. */
export interface AdjustmentBooksTx extends AdjustmentReads {
  record(adjustment: Omit<AdjustmentRecord, 'approval' | 'date'>): Promise<void>;
  approve(entryId: string, approval: { by: string; at: string }): Promise<void>;
  recordKey(key: { key: string; entryId: string; requestSha256: string }): Promise<void>;
}

/**
 * What adjusting entries need of the books besides the journal (which books the entry itself): the record of
 * each one and its approval, written in the journal's unit of work; both append-only (migration 0020). Reads on
 * the port; the writes only on the `tx` its unit hands (issue 53 item 4), a unit begun inside an open one joining it.
 */
export interface AdjustmentBooks extends AdjustmentReads {
  unit<T>(work: (tx: AdjustmentBooksTx) => Promise<T>): Promise<T>;
}
