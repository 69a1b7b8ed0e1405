import type { Kysely } from 'kysely';
import { runStatements } from './postgres-rules.js';

/**
 * A statement's lines may be written before its row within one unit of work (issue 56: `bank import` writes each
 * line straight into bank_lines as the file is read; the file's row, append-only, can only be written once its
 * count of lines is known, at the end). The key from a line to its statement is still checked, at the unit's
 * commit when the unit asks for it, and at once otherwise: a line naming no statement is refused as before.
 * PostgreSQL: its foreign key becomes DEFERRABLE INITIALLY IMMEDIATE (the import says SET CONSTRAINTS … DEFERRED).
 * SQLite: nothing to change, a unit defers its foreign keys with PRAGMA defer_foreign_keys.
 */
/** PostgreSQL's name for 0019's key from a bank line to its statement. */
export const BANK_LINE_STATEMENT_KEY = 'bank_lines_account_statement_sha256_fkey';

export async function up(): Promise<void> {}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `ALTER TABLE bank_lines ALTER CONSTRAINT ${BANK_LINE_STATEMENT_KEY} DEFERRABLE INITIALLY IMMEDIATE`,
  ]);
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
