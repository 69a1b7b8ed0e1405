import type { AdjustmentRecord } from '../ledger/index.js';
import type { LedgerStore } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';

/**
 * The adjusting entries as the adjustments', the reads' and the post's books read them; the adjustments' books write
 * them. It stays the store's: the adjustments import the reads, so the reads' books could reach it only through a
 * circle of files (and the post may not import the adjustments).
 */

/** Every adjusting entry with its approval, in the order they were booked. */
export async function adjustmentRows(store: LedgerStore): Promise<AdjustmentRecord[]> {
  const rows = await store.all(
    queryBuilder(store)
      .selectFrom('adjustments as a')
      .innerJoin('journal_entries as e', 'e.id', 'a.entry_id')
      .leftJoin('adjustment_approvals as p', 'p.entry_id', 'a.entry_id')
      .select([
        'a.entry_id',
        'a.reason',
        'a.made_by',
        'a.made_at',
        'a.explains',
        'a.needs_approval',
        'e.date',
        'p.approved_by',
        'p.approved_at',
      ])
      .orderBy('a.made_at')
      .orderBy('a.entry_id'),
  );
  return rows.map((row) => ({
    entryId: row.entry_id,
    date: row.date,
    reason: row.reason,
    madeBy: row.made_by,
    madeAt: row.made_at,
    explains: row.explains,
    needsApproval: Number(row.needs_approval) === 1,
    approval:
      row.approved_by === null || row.approved_at === null ? null : { by: row.approved_by, at: row.approved_at },
  }));
}
