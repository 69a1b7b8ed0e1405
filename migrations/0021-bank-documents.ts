import type { Kysely } from 'kysely';
import { appendOnly as appendOnlyPostgres, IDENTITY, runStatements, TEXT } from './postgres-rules.js';
import { appendOnly } from './sqlite-rules.js';

/**
 * The bank-side documents ledgerline creates at a destination (a Xero BankTransfer, a QuickBooks Transfer), one
 * per payout or top-up, kept as append-only steps: the intent, written before the create call leaves, then
 * the document's id, written after its reply (or after a look-up by reference found it). An intent with no id
 * is a call whose outcome is unknown: the next run looks the reference up before creating anything again.
 * Example: payout po-7 of 312.40 due 2026-11-14 → ('xero', 'po-7', 'intent', NULL, 312400000, …), then
 * ('xero', 'po-7', 'created', '3f…', 312400000, …); a second run finds the id and sends nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE bank_document_steps (
       id INTEGER PRIMARY KEY AUTOINCREMENT,
       ${COLUMNS('TEXT', 'INTEGER')}
     ) STRICT`,
    INDEX,
    ...appendOnly('bank_document_steps', SUBJECT),
  ]);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE bank_document_steps (
       id ${IDENTITY},
       ${COLUMNS(TEXT, 'BIGINT')}
     )`,
    INDEX,
    ...appendOnlyPostgres('bank_document_steps', SUBJECT),
  ]);
}

const COLUMNS = (text: string, integer: string): string => `destination ${text} NOT NULL,
       item_id ${text} NOT NULL,
       step ${text} NOT NULL CHECK (step IN ('intent', 'created', 'found')),
       document_id ${text} CHECK ((step = 'intent') = (document_id IS NULL)),
       kind ${text} NOT NULL CHECK (kind IN ('payout', 'topup')),
       amount_micros ${integer} NOT NULL CHECK (amount_micros > 0),
       currency ${text} NOT NULL,
       due_on ${text} NOT NULL,
       clearing_account ${text} NOT NULL,
       bank_account ${text} NOT NULL,
       recorded_at ${text} NOT NULL`;

// One intent and one document per item and destination: a second of either is a bug, refused by the database.
const INDEX = `CREATE UNIQUE INDEX bank_document_steps_once ON bank_document_steps (destination, item_id, (step = 'intent'))`;
const SUBJECT = 'bank document steps are';

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
