import type { LedgerStore } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';

/**
 * The journal's hash chain and the periods closed on it (migration 0018): what `verify` and `close` read and
 * what a close keeps. Reads go in append order (seq), the order the chain was computed in.
 */

/** One exact line of an entry with the entry's chained columns, as chainRowChunks gives it (an array, no object per row). */
export type ChainRow = [
  id: string,
  date: string,
  sourceId: string,
  description: string,
  eventIds: string,
  chainHash: string | null,
  account: string,
  currency: string,
  amountMicros: bigint,
  lineDescription: string | null,
];

/**
 * Every journal line with its entry's columns, entries in append order and each entry's lines in line order, a
 * chunk of rows at a time. CROSS JOIN keeps the entries outer on SQLite: they come in seq order off their key and
 * each one's lines off theirs, so nothing is sorted.
 */
export function chainRowChunks(store: LedgerStore, rowsPerChunk: number): AsyncIterable<ChainRow[]> {
  const query = queryBuilder(store)
    .selectFrom('journal_entries as e')
    .crossJoin('journal_lines as l')
    .whereRef('l.entry_id', '=', 'e.id')
    .select(['e.id', 'e.date', 'e.source_id', 'e.description', 'e.event_ids', 'e.chain_hash', 'l.account', 'l.currency', 'l.amount_micros', 'l.description as line_description'])
    .orderBy('e.seq')
    .orderBy('l.line_no');
  return store.iterateArrayChunks(query, rowsPerChunk) as AsyncIterable<ChainRow[]>;
}

export interface ClosedPeriodRecord {
  period: string;
  periodEnd: string;
  chainHead: string;
  certificateSha256: string;
  closedAt: string;
  closedBy: string;
}

/** Every closed period, oldest first. */
export async function closedPeriods(store: LedgerStore): Promise<ClosedPeriodRecord[]> {
  const rows = await store.all(queryBuilder(store).selectFrom('closed_periods').selectAll().orderBy('period_end'));
  return rows.map((row) => ({
    period: row.period,
    periodEnd: row.period_end,
    chainHead: row.chain_head,
    certificateSha256: row.certificate_sha256,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
  }));
}

/** Keeps a period's close; the table is append-only, and a period is closed once (its key). */
export async function recordClosedPeriod(store: LedgerStore, close: ClosedPeriodRecord): Promise<void> {
  await store.run(
    queryBuilder(store)
      .insertInto('closed_periods')
      .values({
        period: close.period,
        period_end: close.periodEnd,
        chain_head: close.chainHead,
        certificate_sha256: close.certificateSha256,
        closed_at: close.closedAt,
        closed_by: close.closedBy,
      }),
  );
}
