import type { Kysely } from 'kysely';
import { runStatements } from './postgres-rules.js';

/**
 * Each order's state after a close (0010) kept once: the orders row holds the state of its
 * last_observed_date, and order_states_by_close only the states a later close replaced.
 *
 * Until now the database copied every state an order took into order_states_by_close, the current
 * one included: a first import of 200,000 orders wrote each state twice (58 MB of 296). Now the
 * state moves there only when a close of another date replaces it, and the state after the close
 * of D is the latest of the two kinds dated on or before D. Example: an order observed on 2 March
 * (0.90 booked), then 3 March (1.35): the orders row holds the 3 March state, the table the
 * 2 March one; as of 2 March the order had 0.90 booked, as of 3 March and after 1.35.
 * A close of an earlier date (a replay) moves the later state aside the same way, and drops a
 * replaced state of its own date: the orders row is that date's state now.
 * The rows that only repeated an orders row are deleted; no other row changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `DROP TRIGGER orders_state_by_close_insert`,
    `DROP TRIGGER orders_state_by_close_update`,
    `DELETE FROM order_states_by_close WHERE EXISTS (SELECT 1 FROM orders o WHERE ${CURRENT_STATE_ROW})`,
    `CREATE TRIGGER orders_state_superseded AFTER UPDATE OF state, last_observed_date ON orders
     WHEN ${SUPERSEDED}
     BEGIN
       ${KEEP_REPLACED_STATE};
     END`,
  ]);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `DROP TRIGGER orders_state_by_close_insert ON orders`,
    `DROP TRIGGER orders_state_by_close_update ON orders`,
    `DROP FUNCTION ledgerline_order_state_by_close()`,
    `DELETE FROM order_states_by_close WHERE EXISTS (SELECT 1 FROM orders o WHERE ${CURRENT_STATE_ROW})`,
    `CREATE FUNCTION ledgerline_order_state_superseded() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         ${KEEP_REPLACED_STATE};
         RETURN NULL;
       END $$`,
    `CREATE TRIGGER orders_state_superseded AFTER UPDATE OF state, last_observed_date ON orders FOR EACH ROW
     WHEN (${SUPERSEDED}) EXECUTE FUNCTION ledgerline_order_state_superseded()`,
  ]);
}

/** A kept row that repeats its order's current state: same order, same date. */
const CURRENT_STATE_ROW = `o.source_id = order_states_by_close.source_id AND o.order_id = order_states_by_close.order_id AND o.last_observed_date = order_states_by_close.date`;

/** A state of one date replaced by a close of another. */
const SUPERSEDED = `OLD.state IS NOT NULL AND OLD.last_observed_date IS NOT NULL AND NEW.last_observed_date IS DISTINCT FROM OLD.last_observed_date`;

/**
 * The replaced state kept under its date, and any state kept for the new date dropped (the orders row
 * holds it now). The replaced date never has a kept row: it was the orders row's own.
 */
const KEEP_REPLACED_STATE = `INSERT INTO order_states_by_close (source_id, order_id, date, state) VALUES (OLD.source_id, OLD.order_id, OLD.last_observed_date, OLD.state);
       DELETE FROM order_states_by_close WHERE source_id = NEW.source_id AND order_id = NEW.order_id AND date = NEW.last_observed_date`;

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
