/** An adjusting entry as kept beside its journal entry: who booked it, when and why, and its approval. */
export interface AdjustmentRecord {
  entryId: string;
  /** The entry's accounting date. */
  date: string;
  reason: string;
  madeBy: string;
  /** ISO 8601. */
  madeAt: string;
  /** The reconcile item the entry explains (`--explains`), acknowledged with it. */
  explains: string | null;
  /** Whether a second person must approve it before it is posted (adjustments.requireApproval when it was booked). */
  needsApproval: boolean;
  approval: { by: string; at: string } | null;
}

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
}
