import { sql } from 'kysely';
import type { AccountTotals } from '../ledger/index.js';
import { movementSums, totalsOf } from './daily-movements.js';
import type { LedgerStore } from './ledger-store.js';
import { compareNames } from './name-order.js';
import { plainQuery } from './plain-query.js';
import { queryBuilder } from './query-builder.js';
import type { SumColumns } from './schema.js';
import type { AccountTotalsFilter } from '../ledger/index.js';

/**
 * Debit and credit totals per account and currency (and period), exact and
 * in the cents the destinations received, added up from the daily movements
 * (migration 0022): a year costs its days × accounts rows, never its lines.
 * Through the latest entry, without a source or periods, the running totals
 * already hold them (migration 0012): one row per source, account and
 * currency. Ordered by period, account, currency.
 */
export async function accountTotals(store: LedgerStore, filter: AccountTotalsFilter): Promise<AccountTotals[]> {
  const wholeLedger =
    filter.from === undefined &&
    filter.sourceId === undefined &&
    filter.by === undefined &&
    (await throughLatestEntry(store, filter.to));
  const rows = wholeLedger ? await wholeLedgerTotals(store) : await periodTotals(store, filter);
  return rows.sort(
    (a, b) =>
      compareNames(a.period ?? '', b.period ?? '') ||
      compareNames(a.account, b.account) ||
      compareNames(a.currency, b.currency),
  );
}

/** Every account's totals over the whole ledger, from the running totals of its sources. */
async function wholeLedgerTotals(store: LedgerStore): Promise<AccountTotals[]> {
  const rows = await store.all(
    plainQuery<{ account: string; currency: string } & SumColumns>(
      'SELECT account, currency, SUM(debit_micros) AS debit_micros, SUM(credit_micros) AS credit_micros, ' +
        'SUM(debit_cents) AS debit_cents, SUM(credit_cents) AS credit_cents FROM running_totals GROUP BY account, currency',
    ),
  );
  return rows
    .map((row) => ({
      period: null,
      account: row.account,
      currency: row.currency,
      ...totalsOf(row),
    }))
    .filter(
      (row) => row.debitMicros !== 0n || row.creditMicros !== 0n || row.debitCents !== 0n || row.creditCents !== 0n,
    );
}

/** The daily movements within the filter's dates and source, summed per account and currency, per period of their dates. */
async function periodTotals(store: LedgerStore, filter: AccountTotalsFilter): Promise<AccountTotals[]> {
  const period =
    filter.by === 'day'
      ? sql<string | null>`m.date`
      : filter.by === 'month'
        ? sql<string | null>`substr(m.date, 1, 7)`
        : sql<string | null>`NULL`;
  let sums = queryBuilder(store)
    .selectFrom('daily_movements as m')
    .select([period.as('period'), 'm.account', 'm.currency', ...movementSums()])
    .groupBy(['period', 'm.account', 'm.currency']);
  if (filter.from) sums = sums.where('m.date', '>=', filter.from);
  if (filter.to) sums = sums.where('m.date', '<=', filter.to);
  if (filter.sourceId) sums = sums.where('m.source_id', '=', filter.sourceId);
  return (await store.all(sums)).map((row) => ({
    period: row.period,
    account: row.account,
    currency: row.currency,
    ...totalsOf(row),
  }));
}

/** Whether no entry is dated after `to` (always, without a `to`): the index on the entries' dates (journal_entries_by_identity) answers it. */
async function throughLatestEntry(store: LedgerStore, to: string | undefined): Promise<boolean> {
  if (to === undefined) return true;
  const latest = await store.first(
    plainQuery<{ date: string | null }>('SELECT MAX(date) AS date FROM journal_entries'),
  );
  return latest?.date == null || latest.date <= to;
}
