import { sql } from 'kysely';
import type { LedgerStore } from './ledger-store.js';
import { debitCreditSums, exactAndCentTotals, selectLines, type DebitCreditTotals, type SummedLines } from './line-sums.js';
import { queryBuilder } from './query-builder.js';

/** One source's lines on one account and currency: debits and credits, exact and as rendered in cents. */
export interface MovementRow extends DebitCreditTotals {
  /** The entries' date; null in a total over everything before a day. */
  date: string | null;
  sourceId: string;
  account: string;
  currency: string;
}

/**
 * Debits and credits per day, source, account and currency of the entries
 * dated `from`…`to`: GROUP BY aggregates over the journal and its rendered
 * lines, so a report over millions of lines holds one row per day and account,
 * never the lines. Ordered by date, source, account, currency.
 */
export async function dailyMovements(store: LedgerStore, window: { from: string; to: string }): Promise<MovementRow[]> {
  return movements(store, { from: window.from, to: window.to, byDay: true });
}

/** The same totals over every entry dated before `date`, per source, account and currency: where a window's balances start. */
export async function movementsBefore(store: LedgerStore, date: string): Promise<MovementRow[]> {
  return movements(store, { before: date, byDay: false });
}

/** The same totals over every entry dated `date` or later: what a running total holds beyond the days before `date`. */
export async function movementsFrom(store: LedgerStore, date: string): Promise<MovementRow[]> {
  return movements(store, { from: date, byDay: false });
}

/** The first and last entry dates, or null for an empty ledger. */
export async function journalDateSpan(store: LedgerStore): Promise<{ first: string; last: string } | null> {
  const row = await store.first(queryBuilder(store).selectFrom('journal_entries').select([sql<string | null>`MIN(date)`.as('first'), sql<string | null>`MAX(date)`.as('last')]));
  return row?.first && row.last ? { first: row.first, last: row.last } : null;
}

async function movements(store: LedgerStore, filter: { from?: string; to?: string; before?: string; byDay: boolean }): Promise<MovementRow[]> {
  const date = filter.byDay ? sql<string | null>`e.date` : sql<string | null>`NULL`;
  const sums = (lines: SummedLines) => {
    let query = selectLines(queryBuilder(store), lines)
      .innerJoin('journal_entries as e', 'e.id', 't.entry_id')
      .select([date.as('date'), 'e.source_id', 't.account', 't.currency', ...debitCreditSums(lines)])
      // Before a day the totals are not split by date: grouping by the null "date" would still split them per
      // entry date (SQLite groups on e.date), and the rows of one account would overwrite each other.
      .groupBy(filter.byDay ? ['e.date', 'e.source_id', 't.account', 't.currency'] : ['e.source_id', 't.account', 't.currency']);
    if (filter.from !== undefined) query = query.where('e.date', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('e.date', '<=', filter.to);
    if (filter.before !== undefined) query = query.where('e.date', '<', filter.before);
    return query;
  };
  const rows = await exactAndCentTotals(store, sums, (line) => ({ date: line.date, sourceId: line.source_id, account: line.account, currency: line.currency }));
  return rows.sort(
    (a, b) =>
      (a.date ?? '').localeCompare(b.date ?? '') || a.sourceId.localeCompare(b.sourceId) || a.account.localeCompare(b.account) || a.currency.localeCompare(b.currency),
  );
}
