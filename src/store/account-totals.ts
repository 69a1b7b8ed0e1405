import { sql, type Compilable } from 'kysely';
import type { LedgerStore } from './ledger-store.js';
import { debitCreditSums, exactAndCentTotals, selectLines, type DebitCreditTotals, type SummedLines } from './line-sums.js';
import { queryBuilder } from './query-builder.js';
import type { AccountTotalsFilter } from '../ledger/index.js';

export interface AccountTotalsRow extends DebitCreditTotals {
  /** "2026-03-31" by day, "2026-03" by month, null when not split. */
  period: string | null;
  account: string;
  currency: string;
}

/**
 * Debit and credit totals per account and currency (and period), exact and
 * in the cents the destinations received: two GROUP BY aggregates over the
 * journal and its rendered lines, so a ledger of millions of lines is summed
 * by the database, never loaded. Through the latest entry, without a source
 * or periods, the running totals already hold them (migration 0012): one row
 * per source, account and currency is added up instead of every line.
 * Ordered by period, account, currency.
 */
export async function accountTotals(store: LedgerStore, filter: AccountTotalsFilter): Promise<AccountTotalsRow[]> {
  const wholeLedger = filter.from === undefined && filter.sourceId === undefined && filter.by === undefined && (await throughLatestEntry(store, filter.to));
  const rows = wholeLedger
    ? await wholeLedgerTotals(store)
    : await exactAndCentTotals(
        store,
        (lines) => signedSums(store, lines, filter),
        (line) => ({ period: line.period, account: line.account, currency: line.currency }),
      );
  return rows.sort(
    (a, b) => (a.period ?? '').localeCompare(b.period ?? '') || a.account.localeCompare(b.account) || a.currency.localeCompare(b.currency),
  );
}

/** Every account's totals over the whole ledger, from the running totals of its sources. */
async function wholeLedgerTotals(store: LedgerStore): Promise<AccountTotalsRow[]> {
  const rows = await store.all(
    queryBuilder(store)
      .selectFrom('running_totals')
      .select([
        'account',
        'currency',
        sql<bigint>`SUM(debit_micros)`.as('debit_micros'),
        sql<bigint>`SUM(credit_micros)`.as('credit_micros'),
        sql<bigint>`SUM(debit_cents)`.as('debit_cents'),
        sql<bigint>`SUM(credit_cents)`.as('credit_cents'),
      ])
      .groupBy(['account', 'currency']),
  );
  return rows
    .map((row) => ({
      period: null,
      account: row.account,
      currency: row.currency,
      debitMicros: BigInt(row.debit_micros),
      creditMicros: BigInt(row.credit_micros),
      debitCents: BigInt(row.debit_cents),
      creditCents: BigInt(row.credit_cents),
    }))
    .filter((row) => row.debitMicros !== 0n || row.creditMicros !== 0n || row.debitCents !== 0n || row.creditCents !== 0n);
}

interface SignedSumsRow {
  period: string | null;
  account: string;
  currency: string;
  debit: bigint;
  credit: bigint;
}

/** The debit and credit sums of `lines` per account and currency, per period of their entries, within the filter's dates and source. */
function signedSums(store: LedgerStore, lines: SummedLines, filter: AccountTotalsFilter): Compilable<SignedSumsRow> {
  const period =
    filter.by === 'day' ? sql<string | null>`e.date` : filter.by === 'month' ? sql<string | null>`substr(e.date, 1, 7)` : sql<string | null>`NULL`;
  let sums = selectLines(queryBuilder(store), lines)
    .innerJoin('journal_entries as e', 'e.id', 't.entry_id')
    .select([period.as('period'), 't.account', 't.currency', ...debitCreditSums(lines)])
    .groupBy(['period', 't.account', 't.currency']);
  if (filter.from) sums = sums.where('e.date', '>=', filter.from);
  if (filter.to) sums = sums.where('e.date', '<=', filter.to);
  if (filter.sourceId) sums = sums.where('e.source_id', '=', filter.sourceId);
  return sums;
}

/** Whether no entry is dated after `to` (always, without a `to`): the index on the entries' dates (journal_entries_by_identity) answers it. */
async function throughLatestEntry(store: LedgerStore, to: string | undefined): Promise<boolean> {
  if (to === undefined) return true;
  const latest = await store.first(queryBuilder(store).selectFrom('journal_entries').select(sql<string | null>`MAX(date)`.as('date')));
  return latest?.date == null || latest.date <= to;
}
