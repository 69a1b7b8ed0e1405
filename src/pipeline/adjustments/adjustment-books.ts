import type { AdjustmentRecord } from '../../ledger/index.js';

export type { AdjustmentRecord };

/**
 * What adjusting entries need of the books besides the journal (which books the entry itself): the record of
 * each one and its approval, written in the journal's unit of work; both append-only (migration 0020).
 */
export interface AdjustmentBooks {
  /** How many adjusting entries are booked: the next one is numbered after them. */
  count(): Promise<number>;
  record(adjustment: Omit<AdjustmentRecord, 'approval' | 'date'>): Promise<void>;
  approve(entryId: string, approval: { by: string; at: string }): Promise<void>;
  /** Every adjusting entry, oldest first. */
  all(): Promise<AdjustmentRecord[]>;
  /** The entry booked for an idempotency key (migration 0028) and the SHA-256 of its request; undefined when none was. */
  ofKey(key: string): Promise<{ entryId: string; requestSha256: string } | undefined>;
  recordKey(key: { key: string; entryId: string; requestSha256: string }): Promise<void>;
}
