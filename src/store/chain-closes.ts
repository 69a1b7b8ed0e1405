import type { ChainCloseRecord, ClosedPeriod } from '../ledger/index.js';
import type { LedgerStore } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';
import type { ClosedPeriodTable } from './schema.js';

/**
 * The closes as records of the hash chain and the forms entries are chained in (migration 0026), as the append,
 * the period lock and `verify` read them.
 */

/** Every close the chain records, in the order the chain runs (after the entry of after_seq, then by period end). */
export async function chainCloseRecords(store: LedgerStore): Promise<ChainCloseRecord[]> {
  const rows = await store.all(
    queryBuilder(store).selectFrom('chain_closes').selectAll().orderBy('after_seq').orderBy('period_end'),
  );
  return rows.map((row) => ({ ...closedPeriodOf(row), afterSeq: BigInt(row.after_seq), chainHash: row.chain_hash }));
}

/** The rows of closed_periods alone, oldest first: what `verify` holds against the chain's records of the closes. */
export async function closedPeriodRows(store: LedgerStore): Promise<ClosedPeriod[]> {
  return (await store.all(queryBuilder(store).selectFrom('closed_periods').selectAll().orderBy('period_end'))).map(
    closedPeriodOf,
  );
}

/** The first seq chained in form 2: the one chain_forms records, else 0n (a ledger created in form 2). */
export async function form2FromSeq(store: LedgerStore): Promise<bigint> {
  const row = await store.first(queryBuilder(store).selectFrom('chain_forms').select('from_seq').where('form', '=', 2));
  return row === undefined ? 0n : BigInt(row.from_seq);
}

/**
 * Every period closed, oldest first, as the period lock reads them: the chain's records of the closes, and a row
 * of closed_periods the chain has no record of (a close kept by a ledgerline before the chain recorded closes is
 * chained on upgrade, so such a row means the chain's record was deleted). Deleting either row leaves the month closed.
 */
export async function closedPeriodsOfChain(store: LedgerStore): Promise<ClosedPeriod[]> {
  const chained = (await store.all(queryBuilder(store).selectFrom('chain_closes').selectAll())).map(closedPeriodOf);
  const periods = new Set(chained.map((close) => close.period));
  const rows = (await closedPeriodRows(store)).filter((row) => !periods.has(row.period));
  return [...chained, ...rows].sort((a, b) => (a.periodEnd < b.periodEnd ? -1 : a.periodEnd > b.periodEnd ? 1 : 0));
}

/** Where the chain ends: the seq of the last entry appended (0n: none) and the link of the last record, entry or close. */
export async function chainEnd(store: LedgerStore): Promise<{ lastSeq: bigint; head: string | undefined }> {
  const db = queryBuilder(store);
  const entry = await store.first(
    db.selectFrom('journal_entries').select(['seq', 'chain_hash']).orderBy('seq', 'desc').limit(1),
  );
  const close = await store.first(
    db
      .selectFrom('chain_closes')
      .select(['after_seq', 'chain_hash'])
      .orderBy('after_seq', 'desc')
      .orderBy('period_end', 'desc')
      .limit(1),
  );
  const lastSeq = entry === undefined ? 0n : BigInt(entry.seq);
  if (close !== undefined && BigInt(close.after_seq) >= lastSeq) return { lastSeq, head: close.chain_hash };
  return { lastSeq, head: entry === undefined ? undefined : (entry.chain_hash ?? '') };
}

function closedPeriodOf(row: ClosedPeriodTable): ClosedPeriod {
  return {
    period: row.period,
    periodEnd: row.period_end,
    chainHead: row.chain_head,
    certificateSha256: row.certificate_sha256,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
  };
}
