import type { Kysely } from 'kysely';
import { appendOnly, IDENTITY, runStatements, TEXT } from './postgres-rules.js';

/**
 * A person's word on an item of the exception queue (`status --exceptions`): `ack` (seen, with the facts the item
 * had then, so that changed facts bring it back), `assign` (whose it is) or `note`. Append-only, as the reconcile
 * acknowledgements are: the latest ack and assign of an item say its state, every row stays as its history. Kept in
 * the ledger of the entity the item is in. Example: ('x-3f9a2c71', 'ack', 'f-…', null, 'asked the panel', 'ana', …).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE exception_words (
       id INTEGER PRIMARY KEY AUTOINCREMENT,
       item_id TEXT NOT NULL CHECK (length(item_id) > 0),
       action TEXT NOT NULL CHECK (action IN ('ack', 'assign', 'note')),
       facts TEXT CHECK ((action = 'ack') = (facts IS NOT NULL)),
       assignee TEXT CHECK ((action = 'assign') = (assignee IS NOT NULL)),
       note TEXT,
       os_user TEXT NOT NULL,
       at TEXT NOT NULL
     ) STRICT`,
    `CREATE INDEX exception_words_by_item ON exception_words (item_id, id)`,
    ...['UPDATE', 'DELETE'].map(
      (statement) =>
        `CREATE TRIGGER exception_words_no_${statement.toLowerCase()} BEFORE ${statement} ON exception_words
         BEGIN SELECT RAISE(ABORT, 'exception words are append-only: ${statement} refused'); END`,
    ),
  ]);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE exception_words (
       id ${IDENTITY},
       item_id ${TEXT} NOT NULL CHECK (length(item_id) > 0),
       action ${TEXT} NOT NULL CHECK (action IN ('ack', 'assign', 'note')),
       facts ${TEXT} CHECK ((action = 'ack') = (facts IS NOT NULL)),
       assignee ${TEXT} CHECK ((action = 'assign') = (assignee IS NOT NULL)),
       note ${TEXT},
       os_user ${TEXT} NOT NULL,
       at ${TEXT} NOT NULL
     )`,
    `CREATE INDEX exception_words_by_item ON exception_words (item_id, id)`,
    ...appendOnly('exception_words', 'exception words are'),
  ]);
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
