import { sql } from 'kysely';
import type { LedgerStore } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';

/** What one run booked on one account of one source: the exact net and the cents rendered for destinations. */
export interface AccountMovementRow {
  sourceId: string;
  account: string;
  currency: string;
  /** Debits − credits of the run's journal lines, micro-units. */
  exactMicros: bigint;
  /** Debits − credits of the run's rendered lines: what destinations receive (a `rounding` line has no exact twin). */
  cents: bigint;
}

/** Net movement per source, account and currency of the entries a run appended, ordered by source, account, currency; one statement. */
export async function runMovements(store: LedgerStore, runId: string): Promise<AccountMovementRow[]> {
  const db = queryBuilder(store);
  const rows = await store.all(
    db
      .selectFrom('journal_entries as e')
      .innerJoin('journal_lines as l', 'l.entry_id', 'e.id')
      .select(['e.source_id', 'l.account', 'l.currency', sql<bigint>`SUM(l.amount_micros)`.as('net'), sql<number>`1`.as('exact')])
      .where('e.run_id', '=', runId)
      .groupBy(['e.source_id', 'l.account', 'l.currency'])
      .unionAll(
        db
          .selectFrom('journal_entries as e')
          .innerJoin('journal_lines as l', 'l.entry_id', 'e.id')
          .select(['e.source_id', 'l.account', 'l.currency', sql<bigint>`SUM(l.cents)`.as('net'), sql<number>`0`.as('exact')])
          .where('e.run_id', '=', runId)
          .where('l.cents', 'is not', null)
          .groupBy(['e.source_id', 'l.account', 'l.currency']),
      )
      .unionAll(
        db
          .selectFrom('journal_entries as e')
          .innerJoin('rendered_lines as r', 'r.entry_id', 'e.id')
          .select(['e.source_id', 'r.account', 'r.currency', sql<bigint>`SUM(r.cents)`.as('net'), sql<number>`0`.as('exact')])
          .where('e.run_id', '=', runId)
          .groupBy(['e.source_id', 'r.account', 'r.currency']),
      ),
  );
  const table = accountMovementTable();
  for (const row of rows) {
    // `exact` comes back as a number or a bigint, as the driver reads integers.
    const exact = Number(row.exact) === 1;
    table.add(row.source_id, row.account, row.currency, exact ? BigInt(row.net) : 0n, exact ? 0n : BigInt(row.net));
  }
  return table.rows();
}

/** Sums movements per source, account and currency; `rows()` orders them by source, account, currency. */
export function accountMovementTable(): {
  add(sourceId: string, account: string, currency: string, exactMicros: bigint, cents: bigint): void;
  rows(): AccountMovementRow[];
} {
  const rows = new Map<string, AccountMovementRow>();
  return {
    add(sourceId, account, currency, exactMicros, cents) {
      const key = JSON.stringify([sourceId, account, currency]);
      let row = rows.get(key);
      if (row === undefined) {
        row = { sourceId, account, currency, exactMicros: 0n, cents: 0n };
        rows.set(key, row);
      }
      row.exactMicros += exactMicros;
      row.cents += cents;
    },
    rows: () => [...rows.values()].sort((a, b) => compare(a.sourceId, b.sourceId) || compare(a.account, b.account) || compare(a.currency, b.currency)),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
