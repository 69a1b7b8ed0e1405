import type { Kysely } from 'kysely';
import { runStatements, TEXT } from './postgres-rules.js';

/**
 * What a replay of day D needs, kept as it stood after each close, so that it
 * starts from the close before D instead of folding every close since the
 * first (a last-day replay grew with the ledger's age):
 * - order_states_by_close: each order's state after the close that observed it
 *   on `date` (its last_observed_date). The database writes it whenever an
 *   order's state is written, so no path can leave it behind; the state after
 *   D − 1 is the row with the latest date ≤ D − 1.
 * - panel_balance_by_close: the panel's carried balance state after each close.
 * Ledgers from before this migration have neither for their earlier closes: a
 * replay folds from the first close there, as it always did.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE order_states_by_close (
       source_id TEXT NOT NULL,
       order_id TEXT NOT NULL,
       date TEXT NOT NULL,
       state TEXT NOT NULL,
       PRIMARY KEY (source_id, order_id, date)
     ) STRICT, WITHOUT ROWID`,
    `CREATE TABLE panel_balance_by_close (
       source_id TEXT NOT NULL,
       date TEXT NOT NULL,
       state TEXT NOT NULL,
       PRIMARY KEY (source_id, date)
     ) STRICT, WITHOUT ROWID`,
    ...(['INSERT', 'UPDATE OF state, last_observed_date'] as const).map(
      (statement) =>
        `CREATE TRIGGER orders_state_by_close_${statement.split(' ')[0]!.toLowerCase()} AFTER ${statement} ON orders
         WHEN NEW.state IS NOT NULL AND NEW.last_observed_date IS NOT NULL
         BEGIN
           INSERT INTO order_states_by_close (source_id, order_id, date, state) VALUES (NEW.source_id, NEW.order_id, NEW.last_observed_date, NEW.state)
           ON CONFLICT (source_id, order_id, date) DO UPDATE SET state = excluded.state;
         END`,
    ),
  ]);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE order_states_by_close (
       source_id ${TEXT} NOT NULL,
       order_id ${TEXT} NOT NULL,
       date ${TEXT} NOT NULL,
       state ${TEXT} NOT NULL,
       PRIMARY KEY (source_id, order_id, date)
     )`,
    `CREATE TABLE panel_balance_by_close (
       source_id ${TEXT} NOT NULL,
       date ${TEXT} NOT NULL,
       state ${TEXT} NOT NULL,
       PRIMARY KEY (source_id, date)
     )`,
    `CREATE FUNCTION ledgerline_order_state_by_close() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO order_states_by_close (source_id, order_id, date, state) VALUES (NEW.source_id, NEW.order_id, NEW.last_observed_date, NEW.state)
         ON CONFLICT (source_id, order_id, date) DO UPDATE SET state = excluded.state;
         RETURN NULL;
       END $$`,
    `CREATE TRIGGER orders_state_by_close_insert AFTER INSERT ON orders FOR EACH ROW
     WHEN (NEW.state IS NOT NULL AND NEW.last_observed_date IS NOT NULL) EXECUTE FUNCTION ledgerline_order_state_by_close()`,
    `CREATE TRIGGER orders_state_by_close_update AFTER UPDATE OF state, last_observed_date ON orders FOR EACH ROW
     WHEN (NEW.state IS NOT NULL AND NEW.last_observed_date IS NOT NULL) EXECUTE FUNCTION ledgerline_order_state_by_close()`,
  ]);
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
