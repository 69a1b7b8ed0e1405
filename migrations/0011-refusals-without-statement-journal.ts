import type { Kysely } from 'kysely';
import { runStatements } from './postgres-rules.js';

/**
 * The journal's refusals, kept word for word, in a form that spares SQLite a
 * statement journal on every row the append writes.
 *
 * SQLite copies each page a statement touches into a statement journal when
 * the statement may write more than one row (a table with triggers counts)
 * and may abort halfway (an ABORT constraint, `RAISE(ABORT)`, an immediate
 * foreign key). The append writes one row per statement, so ABORT and FAIL
 * refuse exactly the same rows; only ABORT pays for the journal. Profiled on
 * 100,000 two-line entries (bench/ledger-append.bench.mjs), the schema's own
 * work went from 6.2 s to 2.4 s against a 0.8 s bare insert.
 *
 * - The balance and sealing triggers raise FAIL instead of ABORT, with the same messages.
 * - rendered_lines' link to its entry is checked at commit (DEFERRABLE INITIALLY DEFERRED), as
 *   journal_lines' already was: a rendered line of no entry is still refused, by the COMMIT.
 *   SQLite cannot alter a constraint, so the table is rebuilt with its rows, index and refusals.
 * The store writes its plain inserts as `INSERT OR FAIL` for the same reason (sqlite-ledger-store.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `DROP TRIGGER journal_lines_sealed`,
    `CREATE TRIGGER journal_lines_sealed BEFORE INSERT ON journal_lines
       WHEN EXISTS (SELECT 1 FROM journal_entries WHERE id = NEW.entry_id)
       BEGIN SELECT RAISE(FAIL, 'journal entry already committed: lines cannot be added'); END`,
    `DROP TRIGGER journal_entries_balanced`,
    `CREATE TRIGGER journal_entries_balanced BEFORE INSERT ON journal_entries
       BEGIN
         SELECT RAISE(FAIL, 'journal entry has fewer than two lines')
           WHERE (SELECT COUNT(*) FROM journal_lines WHERE entry_id = NEW.id) < 2;
         SELECT RAISE(FAIL, 'journal entry does not balance: debits and credits differ in a currency')
           WHERE EXISTS (SELECT 1 FROM journal_lines WHERE entry_id = NEW.id
                         GROUP BY currency HAVING SUM(amount_micros) <> 0);
       END`,
    `CREATE TABLE rendered_lines_checked_at_commit (
       entry_id TEXT NOT NULL REFERENCES journal_entries (id) DEFERRABLE INITIALLY DEFERRED,
       line_no INTEGER NOT NULL,
       account TEXT NOT NULL,
       currency TEXT NOT NULL,
       cents INTEGER NOT NULL CHECK (cents <> 0),
       description TEXT,
       PRIMARY KEY (entry_id, line_no)
     ) STRICT, WITHOUT ROWID`,
    `INSERT INTO rendered_lines_checked_at_commit (entry_id, line_no, account, currency, cents, description)
       SELECT entry_id, line_no, account, currency, cents, description FROM rendered_lines`,
    `DROP TABLE rendered_lines`,
    `ALTER TABLE rendered_lines_checked_at_commit RENAME TO rendered_lines`,
    `CREATE INDEX rendered_lines_by_account_cents ON rendered_lines (account, currency, cents)`,
    `CREATE TRIGGER rendered_lines_no_update BEFORE UPDATE ON rendered_lines
       BEGIN SELECT RAISE(ABORT, 'rendered lines are immutable: UPDATE refused'); END`,
    `CREATE TRIGGER rendered_lines_no_delete BEFORE DELETE ON rendered_lines
       BEGIN SELECT RAISE(ABORT, 'rendered lines are immutable: DELETE refused'); END`,
  ]);
}

/** PostgreSQL keeps no statement journal; its rendered lines are checked at commit too, so both engines refuse at the same moment. */
export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`ALTER TABLE rendered_lines ALTER CONSTRAINT rendered_lines_entry_id_fkey DEFERRABLE INITIALLY DEFERRED`]);
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
