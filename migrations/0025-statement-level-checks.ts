import type { Kysely } from 'kysely';
import { runStatements } from './postgres-rules.js';

/**
 * PostgreSQL checks an entry link and keeps a replaced order state once per statement instead of once per row.
 *
 * A foreign key and a row trigger each run a query of their own for every row: journalizing 70,000 events
 * made 140,000 key lookups for their links (two references each), and a night updating 1,000 orders ran
 * 2,000 statements (keep the replaced state, drop the kept one) inside its UPDATE. A statement trigger sees
 * the statement's rows as a table and does the same in one join. Example: links (e:1 → je:1), (e:2 → je:1)
 * are checked by one anti-join against source_events and one against journal_entries, 2 lookups, not 4.
 *
 * The references stay as strict as the keys were: events and entries refuse DELETE, UPDATE and TRUNCATE,
 * so a link checked when inserted can never lose what it names, which is all a key's other half guarded.
 * Each check runs through EXECUTE, so it is planned for the rows of its own statement: a plan cached from a
 * first import of 70,000 links (a hash join over every event) would otherwise serve a night's single link too.
 * SQLite's keys and triggers are lookups in the same pass over the B-tree, not queries: it is unchanged, and
 * entry_events_references is the one trigger PostgreSQL has that SQLite's keys stand for.
 */
export async function up(): Promise<void> {
  // SQLite: nothing to do (see above); the migration is recorded under the same name on both engines.
}

/** Idempotent, so a test that forgets an earlier migration can apply this one again after it. */
export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    'ALTER TABLE entry_events DROP CONSTRAINT IF EXISTS entry_events_event_id_fkey, DROP CONSTRAINT IF EXISTS entry_events_entry_id_fkey',
    `CREATE OR REPLACE FUNCTION ledgerline_entry_links_refer() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE missing TEXT;
       BEGIN
         EXECUTE $q$SELECT 'event ' || l.event_id FROM linked l WHERE NOT EXISTS (SELECT 1 FROM source_events e WHERE e.id = l.event_id) LIMIT 1$q$ INTO missing;
         IF missing IS NULL THEN
           EXECUTE $q$SELECT 'entry ' || l.entry_id FROM linked l WHERE NOT EXISTS (SELECT 1 FROM journal_entries e WHERE e.id = l.entry_id) LIMIT 1$q$ INTO missing;
         END IF;
         IF missing IS NOT NULL THEN
           RAISE EXCEPTION USING MESSAGE = 'an entry link breaks its foreign key: it names an event or entry the ledger does not hold', DETAIL = missing, ERRCODE = 'foreign_key_violation';
         END IF;
         RETURN NULL;
       END $$`,
    'DROP TRIGGER IF EXISTS entry_events_references ON entry_events',
    `CREATE TRIGGER entry_events_references AFTER INSERT ON entry_events REFERENCING NEW TABLE AS linked
       FOR EACH STATEMENT EXECUTE FUNCTION ledgerline_entry_links_refer()`,
    'DROP TRIGGER IF EXISTS orders_state_superseded ON orders',
    'DROP FUNCTION IF EXISTS ledgerline_order_state_superseded()',
    // The same rule as 0016's row trigger, over the statement's rows (a key is never updated, so old and new pair by it).
    `CREATE OR REPLACE FUNCTION ledgerline_order_states_superseded() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         EXECUTE $q$INSERT INTO order_states_by_close (source_id, order_id, date, state)
           SELECT o.source_id, o.order_id, o.last_observed_date, o.state FROM replaced o JOIN replacing n USING (source_id, order_id)
           WHERE ${SUPERSEDED}$q$;
         EXECUTE $q$DELETE FROM order_states_by_close k USING replaced o JOIN replacing n USING (source_id, order_id)
           WHERE k.source_id = n.source_id AND k.order_id = n.order_id AND k.date = n.last_observed_date AND ${SUPERSEDED}$q$;
         RETURN NULL;
       END $$`,
    `CREATE TRIGGER orders_state_superseded AFTER UPDATE ON orders REFERENCING OLD TABLE AS replaced NEW TABLE AS replacing
       FOR EACH STATEMENT EXECUTE FUNCTION ledgerline_order_states_superseded()`,
  ]);
}

/** A state of one date replaced by a close of another (0016's SUPERSEDED, over the old rows `o` and new `n`). */
const SUPERSEDED = 'o.state IS NOT NULL AND o.last_observed_date IS NOT NULL AND n.last_observed_date IS DISTINCT FROM o.last_observed_date';

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
