import type { Kysely } from 'kysely';
import { appendOnly as appendOnlyPostgres, IDENTITY, runStatements, TEXT } from './postgres-rules.js';
import { appendOnly } from './sqlite-rules.js';

/**
 * Each evidence file attached to a posted journal at a destination (issue 42, item 4), kept as append-only steps
 * as bank-side documents are (0021): the intent, written before the upload leaves, then the attachment's id,
 * written after its reply (or after a look-up of the journal's attachments found the file by name). An intent
 * with no id is an upload whose outcome is unknown: the next post looks the journal's attachments up first.
 * Example: je:smm-panel:2026-03-02, Xero journal 5a…, evidence-je-smm-panel-2026-03-02.zip →
 * ('xero', 'je:…', '5a…', 'evidence-….zip', '9f…', 'intent', NULL, …), then (…, 'attached', 'c1…', …).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`CREATE TABLE evidence_attachment_steps (id INTEGER PRIMARY KEY AUTOINCREMENT, ${COLUMNS('TEXT')}) STRICT`, INDEX, ...appendOnly('evidence_attachment_steps', SUBJECT)]);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`CREATE TABLE evidence_attachment_steps (id ${IDENTITY}, ${COLUMNS(TEXT)})`, INDEX, ...appendOnlyPostgres('evidence_attachment_steps', SUBJECT)]);
}

const COLUMNS = (text: string): string => `destination ${text} NOT NULL,
       entry_id ${text} NOT NULL REFERENCES journal_entries (id),
       journal_id ${text} NOT NULL,
       file_name ${text} NOT NULL,
       manifest_sha256 ${text} NOT NULL,
       step ${text} NOT NULL CHECK (step IN ('intent', 'attached', 'found')),
       attachment_id ${text} CHECK ((step = 'intent') = (attachment_id IS NULL)),
       recorded_at ${text} NOT NULL`;

// One intent and one attachment per file, entry and destination: a second of either is a bug, refused by the database.
const INDEX = `CREATE UNIQUE INDEX evidence_attachment_steps_once ON evidence_attachment_steps (destination, entry_id, file_name, (step = 'intent'))`;
const SUBJECT = 'evidence attachment steps are';

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
