import { sql } from 'kysely';
import type { LedgerStore } from './ledger-store.js';

export const BALANCE_PERIODS = ['day', 'month'] as const;
export type BalancePeriod = (typeof BALANCE_PERIODS)[number];

export interface AccountTotalsFilter {
  /** Entries dated on or after (a movement over a period); left out: from the first entry. */
  from?: string | undefined;
  /** Entries dated on or before. */
  to?: string | undefined;
  sourceId?: string | undefined;
  /** Split the totals per day or per calendar month of the entries' dates. */
  by?: BalancePeriod | undefined;
}

export interface AccountTotalsRow {
  /** "2026-03-31" by day, "2026-03" by month, null when not split. */
  period: string | null;
  account: string;
  currency: string;
  debitMicros: bigint;
  creditMicros: bigint;
  /** The same lines as rendered for the destinations, in whole cents. */
  debitCents: bigint;
  creditCents: bigint;
}

/**
 * Debit and credit totals per account and currency (and period), exact and
 * in the cents the destinations received: two GROUP BY aggregates over the
 * journal and its rendered lines, so a ledger of millions of lines is summed
 * by SQLite, never loaded. Ordered by period, account, currency.
 */
export async function accountTotals(store: LedgerStore, filter: AccountTotalsFilter): Promise<AccountTotalsRow[]> {
  const period =
    filter.by === 'day' ? sql<string | null>`e.date` : filter.by === 'month' ? sql<string | null>`substr(e.date, 1, 7)` : sql<string | null>`NULL`;
  let exact = store.db
    .selectFrom('journal_lines as l')
    .innerJoin('journal_entries as e', 'e.id', 'l.entry_id')
    .select([
      period.as('period'),
      'l.account',
      'l.currency',
      sql<bigint>`SUM(CASE WHEN l.amount_micros > 0 THEN l.amount_micros ELSE 0 END)`.as('debit'),
      sql<bigint>`SUM(CASE WHEN l.amount_micros < 0 THEN -l.amount_micros ELSE 0 END)`.as('credit'),
    ])
    .groupBy(['period', 'l.account', 'l.currency']);
  let cents = store.db
    .selectFrom('rendered_lines as r')
    .innerJoin('journal_entries as e', 'e.id', 'r.entry_id')
    .select([
      period.as('period'),
      'r.account',
      'r.currency',
      sql<bigint>`SUM(CASE WHEN r.cents > 0 THEN r.cents ELSE 0 END)`.as('debit'),
      sql<bigint>`SUM(CASE WHEN r.cents < 0 THEN -r.cents ELSE 0 END)`.as('credit'),
    ])
    .groupBy(['period', 'r.account', 'r.currency']);
  if (filter.from) {
    exact = exact.where('e.date', '>=', filter.from);
    cents = cents.where('e.date', '>=', filter.from);
  }
  if (filter.to) {
    exact = exact.where('e.date', '<=', filter.to);
    cents = cents.where('e.date', '<=', filter.to);
  }
  if (filter.sourceId) {
    exact = exact.where('e.source_id', '=', filter.sourceId);
    cents = cents.where('e.source_id', '=', filter.sourceId);
  }
  const rows = new Map<string, AccountTotalsRow>();
  const rowFor = (periodKey: string | null, account: string, currency: string): AccountTotalsRow => {
    const key = JSON.stringify([periodKey, account, currency]);
    let row = rows.get(key);
    if (!row) {
      row = { period: periodKey, account, currency, debitMicros: 0n, creditMicros: 0n, debitCents: 0n, creditCents: 0n };
      rows.set(key, row);
    }
    return row;
  };
  // A trial balance through the latest entry or later needs no entry's date or source: the lines are summed
  // on their own, without the join to their entries (about 2.5× faster on a million lines, same figures).
  const wholeLedger = filter.from === undefined && filter.sourceId === undefined && filter.by === undefined && (await throughLatestEntry(store, filter.to));
  const exactLines = wholeLedger
    ? store.db
        .selectFrom('journal_lines as l')
        .select([
          sql<string | null>`NULL`.as('period'),
          'l.account',
          'l.currency',
          sql<bigint>`SUM(CASE WHEN l.amount_micros > 0 THEN l.amount_micros ELSE 0 END)`.as('debit'),
          sql<bigint>`SUM(CASE WHEN l.amount_micros < 0 THEN -l.amount_micros ELSE 0 END)`.as('credit'),
        ])
        .groupBy(['l.account', 'l.currency'])
    : exact;
  const centsLines = wholeLedger
    ? store.db
        .selectFrom('rendered_lines as r')
        .select([
          sql<string | null>`NULL`.as('period'),
          'r.account',
          'r.currency',
          sql<bigint>`SUM(CASE WHEN r.cents > 0 THEN r.cents ELSE 0 END)`.as('debit'),
          sql<bigint>`SUM(CASE WHEN r.cents < 0 THEN -r.cents ELSE 0 END)`.as('credit'),
        ])
        .groupBy(['r.account', 'r.currency'])
    : cents;
  for await (const line of store.iterate(exactLines)) {
    const row = rowFor(line.period, line.account, line.currency);
    row.debitMicros = BigInt(line.debit);
    row.creditMicros = BigInt(line.credit);
  }
  for await (const line of store.iterate(centsLines)) {
    const row = rowFor(line.period, line.account, line.currency);
    row.debitCents = BigInt(line.debit);
    row.creditCents = BigInt(line.credit);
  }
  return [...rows.values()].sort(
    (a, b) => (a.period ?? '').localeCompare(b.period ?? '') || a.account.localeCompare(b.account) || a.currency.localeCompare(b.currency),
  );
}

/** Whether no entry is dated after `to` (always, without a `to`): the journal_entries_by_date index answers it. */
async function throughLatestEntry(store: LedgerStore, to: string | undefined): Promise<boolean> {
  if (to === undefined) return true;
  const latest = await store.first(store.db.selectFrom('journal_entries').select(sql<string | null>`MAX(date)`.as('date')));
  return latest?.date == null || latest.date <= to;
}
