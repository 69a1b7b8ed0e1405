import { sql } from 'kysely';
import type { LedgerStore } from './ledger-store.js';

/** One source's lines on one account and currency: debits and credits, exact and as rendered in cents. */
export interface MovementRow {
  /** The entries' date; null in a total over everything before a day. */
  date: string | null;
  sourceId: string;
  account: string;
  currency: string;
  debitMicros: bigint;
  creditMicros: bigint;
  debitCents: bigint;
  creditCents: bigint;
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

/** The first and last entry dates, or null for an empty ledger. */
export async function journalDateSpan(store: LedgerStore): Promise<{ first: string; last: string } | null> {
  const row = await store.first(store.db.selectFrom('journal_entries').select([sql<string | null>`MIN(date)`.as('first'), sql<string | null>`MAX(date)`.as('last')]));
  return row?.first && row.last ? { first: row.first, last: row.last } : null;
}

async function movements(store: LedgerStore, filter: { from?: string; to?: string; before?: string; byDay: boolean }): Promise<MovementRow[]> {
  const date = filter.byDay ? sql<string | null>`e.date` : sql<string | null>`NULL`;
  let exact = store.db
    .selectFrom('journal_lines as l')
    .innerJoin('journal_entries as e', 'e.id', 'l.entry_id')
    .select([
      date.as('date'),
      'e.source_id',
      'l.account',
      'l.currency',
      sql<bigint>`SUM(CASE WHEN l.amount_micros > 0 THEN l.amount_micros ELSE 0 END)`.as('debit'),
      sql<bigint>`SUM(CASE WHEN l.amount_micros < 0 THEN -l.amount_micros ELSE 0 END)`.as('credit'),
    ])
    .groupBy(['date', 'e.source_id', 'l.account', 'l.currency']);
  let cents = store.db
    .selectFrom('rendered_lines as r')
    .innerJoin('journal_entries as e', 'e.id', 'r.entry_id')
    .select([
      date.as('date'),
      'e.source_id',
      'r.account',
      'r.currency',
      sql<bigint>`SUM(CASE WHEN r.cents > 0 THEN r.cents ELSE 0 END)`.as('debit'),
      sql<bigint>`SUM(CASE WHEN r.cents < 0 THEN -r.cents ELSE 0 END)`.as('credit'),
    ])
    .groupBy(['date', 'e.source_id', 'r.account', 'r.currency']);
  if (filter.from !== undefined) {
    exact = exact.where('e.date', '>=', filter.from);
    cents = cents.where('e.date', '>=', filter.from);
  }
  if (filter.to !== undefined) {
    exact = exact.where('e.date', '<=', filter.to);
    cents = cents.where('e.date', '<=', filter.to);
  }
  if (filter.before !== undefined) {
    exact = exact.where('e.date', '<', filter.before);
    cents = cents.where('e.date', '<', filter.before);
  }
  const rows = new Map<string, MovementRow>();
  const rowFor = (line: { date: string | null; source_id: string; account: string; currency: string }): MovementRow => {
    const key = JSON.stringify([line.date, line.source_id, line.account, line.currency]);
    let row = rows.get(key);
    if (!row) {
      row = { date: line.date, sourceId: line.source_id, account: line.account, currency: line.currency, debitMicros: 0n, creditMicros: 0n, debitCents: 0n, creditCents: 0n };
      rows.set(key, row);
    }
    return row;
  };
  for await (const line of store.iterate(exact)) {
    const row = rowFor(line);
    row.debitMicros = BigInt(line.debit);
    row.creditMicros = BigInt(line.credit);
  }
  for await (const line of store.iterate(cents)) {
    const row = rowFor(line);
    row.debitCents = BigInt(line.debit);
    row.creditCents = BigInt(line.credit);
  }
  return [...rows.values()].sort(
    (a, b) =>
      (a.date ?? '').localeCompare(b.date ?? '') || a.sourceId.localeCompare(b.sourceId) || a.account.localeCompare(b.account) || a.currency.localeCompare(b.currency),
  );
}
