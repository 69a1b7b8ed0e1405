import type { Kysely } from 'kysely';
import { appendOnly, IDENTITY, runStatements, TEXT } from './postgres-rules.js';

/**
 * A person's word on a reconcile item: `ack` (seen, dealt with, with a note)
 * or `unack` (look at it again). Append-only: the latest row of an item says
 * its state, and every earlier one stays as the history of who said what when.
 * An item is named by its reconcile id, so a new finding of the same kind is a
 * new item and never hidden by an old acknowledgement.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE acknowledgements (
       id INTEGER PRIMARY KEY AUTOINCREMENT,
       item_id TEXT NOT NULL,
       action TEXT NOT NULL CHECK (action IN ('ack', 'unack')),
       note TEXT,
       os_user TEXT NOT NULL,
       at TEXT NOT NULL
     ) STRICT`,
    `CREATE INDEX acknowledgements_by_item ON acknowledgements (item_id, id)`,
    ...['UPDATE', 'DELETE'].map(
      (statement) =>
        `CREATE TRIGGER acknowledgements_no_${statement.toLowerCase()} BEFORE ${statement} ON acknowledgements
         BEGIN SELECT RAISE(ABORT, 'acknowledgements are append-only: ${statement} refused'); END`,
    ),
  ]);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE acknowledgements (
       id ${IDENTITY},
       item_id ${TEXT} NOT NULL,
       action ${TEXT} NOT NULL CHECK (action IN ('ack', 'unack')),
       note ${TEXT},
       os_user ${TEXT} NOT NULL,
       at ${TEXT} NOT NULL
     )`,
    `CREATE INDEX acknowledgements_by_item ON acknowledgements (item_id, id)`,
    ...appendOnly('acknowledgements', 'acknowledgements are'),
  ]);
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
