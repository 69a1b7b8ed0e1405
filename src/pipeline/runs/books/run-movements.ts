import { sql } from 'kysely';
import { queryBuilder, type StoreHandle } from '../../../store/index.js';
import { accountMovementTable, type AccountMovementRow } from '../../../rules/index.js';

/** Net movement per source, account and currency of the entries a run appended, ordered by source, account, currency; one statement. */
export async function runMovements(store: StoreHandle, runId: string): Promise<AccountMovementRow[]> {
  const db = queryBuilder(store);
  // A run's journal lines summed by one of their amounts: the exact micro-units (exact 1) or the cents they render to (exact 0).
  const lineSums = (amount: 'l.amount_micros' | 'l.cents', exact: 0 | 1) =>
    db
      .selectFrom('journal_entries as e')
      .innerJoin('journal_lines as l', 'l.entry_id', 'e.id')
      .select([
        'e.source_id',
        'l.account',
        'l.currency',
        sql<bigint>`SUM(${sql.ref(amount)})`.as('net'),
        sql<number>`${sql.lit(exact)}`.as('exact'),
      ])
      .where('e.run_id', '=', runId)
      .groupBy(['e.source_id', 'l.account', 'l.currency']);
  const rows = await store.all(
    lineSums('l.amount_micros', 1)
      .unionAll(lineSums('l.cents', 0).where('l.cents', 'is not', null))
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
