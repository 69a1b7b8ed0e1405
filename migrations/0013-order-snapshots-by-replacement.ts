import type { Kysely } from 'kysely';
import { runStatements } from './postgres-rules.js';

/**
 * Each order's state after a close (0010) kept by replacing the day's row
 * instead of an upsert, on SQLite.
 *
 * The triggers of 0010 wrote `INSERT … ON CONFLICT DO UPDATE` for every state
 * an order takes, and SQLite kept a statement journal for that upsert on every
 * order a close saves. Deleting the order's row of that date, then inserting
 * the new one, keeps the same rows (the latest state of the day wins; earlier
 * days stay) with no journal. Measured on 50,000 orders saved 5,000 to a unit:
 * 1.2 s with the upsert, 0.56 s with the replacement, against 0.39 s with no
 * snapshot at all. A plain `INSERT OR REPLACE` would not do: under the store's
 * `UPDATE OR FAIL` the trigger's own conflict clause is overridden, and a
 * second state on the same day was refused.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    ...ORDER_WRITES.flatMap(({ name, event }) => [
      `DROP TRIGGER ${name}`,
      `CREATE TRIGGER ${name} AFTER ${event} ON orders
       WHEN NEW.state IS NOT NULL AND NEW.last_observed_date IS NOT NULL
       BEGIN
         DELETE FROM order_states_by_close WHERE source_id = NEW.source_id AND order_id = NEW.order_id AND date = NEW.last_observed_date;
         INSERT INTO order_states_by_close (source_id, order_id, date, state) VALUES (NEW.source_id, NEW.order_id, NEW.last_observed_date, NEW.state);
       END`,
    ]),
  ]);
}

/** PostgreSQL keeps no statement journal: its upsert of 0010 stays as it is. */
export async function upPostgres(): Promise<void> {}

const ORDER_WRITES = [
  { name: 'orders_state_by_close_insert', event: 'INSERT' },
  { name: 'orders_state_by_close_update', event: 'UPDATE OF state, last_observed_date' },
] as const;

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
