import type { AdjustmentRecord } from '../ledger/index.js';
import type { LedgerStore, LedgerTx } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';
import { sealRows } from './row-seals.js';

export async function countAdjustments(store: LedgerStore): Promise<number> {
  const row = await store.first(
    queryBuilder(store)
      .selectFrom('adjustments')
      .select((eb) => eb.fn.countAll<bigint | number>().as('count')),
  );
  return Number(row?.count ?? 0);
}

export async function recordAdjustment(
  store: LedgerStore,
  adjustment: Omit<AdjustmentRecord, 'approval' | 'date'>,
): Promise<void> {
  await store.unitOfWork(async (tx) => {
    await insertAdjustment(tx, adjustment);
    await sealRows(tx, 'adjustments', { entry_id: adjustment.entryId });
  });
}

async function insertAdjustment(
  store: LedgerTx,
  adjustment: Omit<AdjustmentRecord, 'approval' | 'date'>,
): Promise<void> {
  await store.run(
    queryBuilder(store)
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
}

/** The entry booked for an idempotency key, with the SHA-256 of the request it was booked for; undefined when none was. */
export async function adjustmentOfKey(
  store: LedgerStore,
  key: string,
): Promise<{ entryId: string; requestSha256: string } | undefined> {
  const row = await store.first(
    queryBuilder(store).selectFrom('adjustment_keys').select(['entry_id', 'request_sha256']).where('key', '=', key),
  );
  return row && { entryId: row.entry_id, requestSha256: row.request_sha256 };
}

export async function recordAdjustmentKey(
  store: LedgerTx,
  key: { key: string; entryId: string; requestSha256: string },
): Promise<void> {
  await store.run(
    queryBuilder(store)
      .insertInto('adjustment_keys')
      .values({ key: key.key, entry_id: key.entryId, request_sha256: key.requestSha256 }),
  );
}

export async function approveAdjustment(
  store: LedgerStore,
  entryId: string,
  approval: { by: string; at: string },
): Promise<void> {
  await store.unitOfWork(async (tx) => {
    await tx.run(
      queryBuilder(tx)
        .insertInto('adjustment_approvals')
        .values({ entry_id: entryId, approved_by: approval.by, approved_at: approval.at }),
    );
    await sealRows(tx, 'adjustment_approvals', { entry_id: entryId });
  });
}

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

/** The adjusting entries a post must not send yet: those that need a second person's approval and have none. */
export async function adjustmentsAwaitingApproval(store: LedgerStore): Promise<Set<string>> {
  return new Set(
    (await adjustmentRows(store)).filter((row) => row.needsApproval && row.approval === null).map((row) => row.entryId),
  );
}
