import { sql } from 'kysely';
import type { LedgerStore } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';
import { accountMovementTable, type AccountMovementRow } from '../rules/index.js';

/** Net movement per source, account and currency of the entries a run appended, ordered by source, account, currency; one statement. */
export async function runMovements(store: LedgerStore, runId: string): Promise<AccountMovementRow[]> {
  const db = queryBuilder(store);
  const rows = await store.all(
    db
      .selectFrom('journal_entries as e')
      .innerJoin('journal_lines as l', 'l.entry_id', 'e.id')
      .select([
        'e.source_id',
        'l.account',
        'l.currency',
        sql<bigint>`SUM(l.amount_micros)`.as('net'),
        sql<number>`1`.as('exact'),
      ])
      .where('e.run_id', '=', runId)
      .groupBy(['e.source_id', 'l.account', 'l.currency'])
      .unionAll(
        db
          .selectFrom('journal_entries as e')
          .innerJoin('journal_lines as l', 'l.entry_id', 'e.id')
          .select([
            'e.source_id',
            'l.account',
            'l.currency',
            sql<bigint>`SUM(l.cents)`.as('net'),
            sql<number>`0`.as('exact'),
          ])
          .where('e.run_id', '=', runId)
          .where('l.cents', 'is not', null)
          .groupBy(['e.source_id', 'l.account', 'l.currency']),
      )
      .unionAll(
        db
          .selectFrom('journal_entries as e')
          .innerJoin('rendered_lines as r', 'r.entry_id', 'e.id')
          .select([
            'e.source_id',
            'r.account',
            'r.currency',
            sql<bigint>`SUM(r.cents)`.as('net'),
            sql<number>`0`.as('exact'),
          ])
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
