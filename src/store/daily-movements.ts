import { sql } from 'kysely';
import type { AccountMovement, DebitCreditTotals } from '../ledger/index.js';
import type { LedgerStore } from './ledger-store.js';
import { compareNames } from './name-order.js';
import { queryBuilder } from './query-builder.js';
import type { SumColumns } from './schema.js';

/** The four sums of the daily movements (`m`, migration 0022) a query groups, named as the table's columns. */
export function movementSums() {
  return [
    sql<bigint>`SUM(m.debit_micros)`.as('debit_micros'),
    sql<bigint>`SUM(m.credit_micros)`.as('credit_micros'),
    sql<bigint>`SUM(m.debit_cents)`.as('debit_cents'),
    sql<bigint>`SUM(m.credit_cents)`.as('credit_cents'),
  ] as const;
}

/** A row's four sums as bigints (PostgreSQL gives a SUM as numeric text). */
export function totalsOf(row: SumColumns): DebitCreditTotals {
  return {
    debitMicros: BigInt(row.debit_micros),
    creditMicros: BigInt(row.credit_micros),
    debitCents: BigInt(row.debit_cents),
    creditCents: BigInt(row.credit_cents),
  };
}

/**
 * Debits and credits per day, source, account and currency of the entries dated `from`…`to`: the daily
 * movements kept as the journal is appended (migration 0022), one row per day and account, never the lines.
 * With `drawn`, only the rows a page draws: all from `allFrom`, before it `accounts` of `sourceIds`.
 * Ordered by date, source, account, currency.
 */
export async function dailyMovements(
  store: LedgerStore,
  window: { from: string; to: string },
  drawn?: { allFrom: string; sourceIds: readonly string[]; accounts: readonly string[] },
): Promise<AccountMovement[]> {
  let query = queryBuilder(store)
    .selectFrom('daily_movements as m')
    .select([
      'm.date',
      'm.source_id',
      'm.account',
      'm.currency',
      'm.debit_micros',
      'm.credit_micros',
      'm.debit_cents',
      'm.credit_cents',
    ])
    .where('m.date', '>=', window.from)
    .where('m.date', '<=', window.to);
  if (drawn !== undefined) {
    const { allFrom, sourceIds, accounts } = drawn;
    query =
      sourceIds.length === 0 || accounts.length === 0
        ? query.where('m.date', '>=', allFrom)
        : query.where((eb) =>
            eb.or([
              eb('m.date', '>=', allFrom),
              eb.and([eb('m.source_id', 'in', [...sourceIds]), eb('m.account', 'in', [...accounts])]),
            ]),
          );
  }
  // Read as arrays, in the columns' order: a year of a charted ledger is thousands of rows.
  const rows = (await store.allArrays(query)) as [string, string, string, string, bigint, bigint, bigint, bigint][];
  return inMovementOrder(
    rows.map(([date, sourceId, account, currency, debitMicros, creditMicros, debitCents, creditCents]) => ({
      date,
      sourceId,
      account,
      currency,
      debitMicros: BigInt(debitMicros),
      creditMicros: BigInt(creditMicros),
      debitCents: BigInt(debitCents),
      creditCents: BigInt(creditCents),
    })),
  );
}

/** The same totals over the entries dated `from`…`to`, per source, account and currency: what a window moved. */
export async function movementsWithin(
  store: LedgerStore,
  window: { from: string; to: string },
): Promise<AccountMovement[]> {
  return undatedMovements(store, [
    ['>=', window.from],
    ['<=', window.to],
  ]);
}

/** The same totals over every entry dated before `date`, per source, account and currency: where a window's balances start. */
export async function movementsBefore(store: LedgerStore, date: string): Promise<AccountMovement[]> {
  return undatedMovements(store, [['<', date]]);
}

/** The same totals over every entry dated `date` or later: what a running total holds beyond the days before `date`. */
export async function movementsFrom(store: LedgerStore, date: string): Promise<AccountMovement[]> {
  return undatedMovements(store, [['>=', date]]);
}

/** The first and last entry dates, or null for an empty ledger. */
export async function journalDateSpan(store: LedgerStore): Promise<{ first: string; last: string } | null> {
  // Each end its own subquery: SQLite reads MIN and MAX off the date index only one at a time; together it scanned
  // every entry (the console's first 150 ms per page on a million lines).
  const row = await store.first(
    queryBuilder(store).selectNoFrom((eb) => [
      eb
        .selectFrom('journal_entries')
        .select(sql<string | null>`MIN(date)`.as('date'))
        .as('first'),
      eb
        .selectFrom('journal_entries')
        .select(sql<string | null>`MAX(date)`.as('date'))
        .as('last'),
    ]),
  );
  return row?.first && row.last ? { first: row.first, last: row.last } : null;
}

/** Each bound on the entries' date, e.g. [['>=', '2026-03-01'], ['<=', '2026-03-31']]: one month. */
async function undatedMovements(
  store: LedgerStore,
  bounds: readonly (readonly ['<' | '>=' | '<=', string])[],
): Promise<AccountMovement[]> {
  let query = queryBuilder(store)
    .selectFrom('daily_movements as m')
    .select(['m.source_id', 'm.account', 'm.currency', ...movementSums()]);
  for (const [op, date] of bounds) query = query.where('m.date', op, date);
  const rows = await store.all(query.groupBy(['m.source_id', 'm.account', 'm.currency']));
  return inMovementOrder(
    rows.map((row) => ({
      date: null,
      sourceId: row.source_id,
      account: row.account,
      currency: row.currency,
      ...totalsOf(row),
    })),
  );
}

/** By date, source, account, currency, compared as the report has always ordered them (localeCompare's order, not the engine's collation). */
function inMovementOrder(rows: AccountMovement[]): AccountMovement[] {
  return rows.sort(
    (a, b) =>
      compareNames(a.date ?? '', b.date ?? '') ||
      compareNames(a.sourceId, b.sourceId) ||
      compareNames(a.account, b.account) ||
      compareNames(a.currency, b.currency),
  );
}
