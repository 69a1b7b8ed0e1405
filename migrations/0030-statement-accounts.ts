import type { Kysely } from 'kysely';
import { TEXT, runStatements } from './postgres-rules.js';

/**
 * What a statement says of its account and its batches. bank_statements gains account_number: the account the
 * file named (a camt IBAN or <Othr><Id>, an OFX ACCTID; null for a CSV), so a later statement of another account
 * is refused even when the configuration names none. bank_lines gains entry_reference: for a line split from a
 * camt.053 batch entry, the entry's own id, which the bank's other records name. Existing rows keep nulls.
 * Example: a batch entry B-77 of 664.05 → lines B-77/1 (-564.05) and B-77/2 (-100.00), each with entry_reference "B-77".
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, ['ALTER TABLE bank_statements ADD COLUMN account_number TEXT', 'ALTER TABLE bank_lines ADD COLUMN entry_reference TEXT']);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`ALTER TABLE bank_statements ADD COLUMN account_number ${TEXT}`, `ALTER TABLE bank_lines ADD COLUMN entry_reference ${TEXT}`]);
}
