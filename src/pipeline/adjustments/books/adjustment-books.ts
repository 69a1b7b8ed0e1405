import type { AdjustmentRecord } from '../../../ledger/index.js';
import { adjustmentRows, queryBuilder, type StoreHandle, type StoreTx, seals } from '../../../store/index.js';

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

/** The reads over the store or a unit's `tx`; every adjusting entry is read with the reads' (store/adjustments.ts). */
const adjustmentReads = (store: StoreHandle): AdjustmentReads => ({
  count: async () => {
    const row = await store.first(
      queryBuilder(store)
        .selectFrom('adjustments')
        .select((eb) => eb.fn.countAll<bigint | number>().as('count')),
    );
    return Number(row?.count ?? 0);
  },
  all: () => adjustmentRows(store),
  ofKey: async (key) => {
    const row = await store.first(
      queryBuilder(store).selectFrom('adjustment_keys').select(['entry_id', 'request_sha256']).where('key', '=', key),
    );
    return row && { entryId: row.entry_id, requestSha256: row.request_sha256 };
  },
});

/** The writes and reads of one unit of work, over its `tx`; each record and approval sealed with its row. */
const adjustmentBooksTx = (tx: StoreTx): AdjustmentBooksTx => ({
  ...adjustmentReads(tx),
  record: async (adjustment) => {
    await tx.run(
      queryBuilder(tx)
        .insertInto('adjustments')
        .values({
          entry_id: adjustment.entryId,
          reason: adjustment.reason,
          made_by: adjustment.madeBy,
          made_at: adjustment.madeAt,
          explains: adjustment.explains,
          needs_approval: adjustment.needsApproval ? 1 : 0,
        }),
    );
    await seals.rows(tx, 'adjustments', { entry_id: adjustment.entryId });
  },
  approve: async (entryId, approval) => {
    await tx.run(
      queryBuilder(tx)
        .insertInto('adjustment_approvals')
        .values({ entry_id: entryId, approved_by: approval.by, approved_at: approval.at }),
    );
    await seals.rows(tx, 'adjustment_approvals', { entry_id: entryId });
  },
  recordKey: async (key) => {
    await tx.run(
      queryBuilder(tx)
        .insertInto('adjustment_keys')
        .values({ key: key.key, entry_id: key.entryId, request_sha256: key.requestSha256 }),
    );
  },
});

/** Adjusting entries' books over the store's handle (`books.of(adjustmentBooks)`): reads, and the writes in a unit. */
export const adjustmentBooks = (store: StoreHandle): AdjustmentBooks => ({
  ...adjustmentReads(store),
  unit: (work) => store.unitOfWork((tx) => work(adjustmentBooksTx(tx))),
});
