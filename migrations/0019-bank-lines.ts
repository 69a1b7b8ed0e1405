import type { Kysely } from 'kysely';
import { IDENTITY, TEXT, appendOnly as appendOnlyPostgres, runStatements } from './postgres-rules.js';
import { appendOnly } from './sqlite-rules.js';

/**
 * Bank statements as landed (`ledgerline bank import`), and the life of each payout and top-up in transit.
 *
 * bank_statements: one row per statement file and account, keyed by the file's SHA-256, so the same file
 * imported again is known. bank_lines: each line once per account, keyed by the statement's own id of it
 * (camt AcctSvcrRef/NtryRef, OFX FITID) or a hash of its content: a second import of the same lines adds no
 * row. Example: statement a1b2… with lines AcctSvcrRef 881 (+312.40 EUR) and 882 (−50.00 EUR) → two rows,
 * and the same file again → none. transit_states: each state an item of transit reached, with its evidence
 * (the bank line and the statement it came in). All three are append-only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE bank_statements (
       account TEXT NOT NULL,
       sha256 TEXT NOT NULL,
       file TEXT NOT NULL,
       format TEXT NOT NULL,
       lines_read INTEGER NOT NULL,
       imported_at TEXT NOT NULL,
       PRIMARY KEY (account, sha256)
     ) STRICT, WITHOUT ROWID`,
    `CREATE TABLE bank_lines (
       account TEXT NOT NULL,
       line_id TEXT NOT NULL,
       booked_on TEXT NOT NULL,
       amount_micros INTEGER NOT NULL,
       currency TEXT NOT NULL,
       reference TEXT NOT NULL,
       description TEXT NOT NULL,
       statement_sha256 TEXT NOT NULL,
       PRIMARY KEY (account, line_id),
       FOREIGN KEY (account, statement_sha256) REFERENCES bank_statements (account, sha256)
     ) STRICT, WITHOUT ROWID`,
    `CREATE TABLE transit_states (
       id INTEGER PRIMARY KEY AUTOINCREMENT,
       item_id TEXT NOT NULL,
       state TEXT NOT NULL,
       as_of TEXT NOT NULL,
       bank_account TEXT,
       bank_line_id TEXT,
       statement_sha256 TEXT,
       recorded_at TEXT NOT NULL
     ) STRICT`,
    `CREATE INDEX transit_states_by_item ON transit_states (item_id, id)`,
    ...appendOnly('bank_statements', 'bank statements are'),
    ...appendOnly('bank_lines', 'bank lines are'),
    ...appendOnly('transit_states', 'transit states are'),
  ]);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE bank_statements (
       account ${TEXT} NOT NULL,
       sha256 ${TEXT} NOT NULL,
       file ${TEXT} NOT NULL,
       format ${TEXT} NOT NULL,
       lines_read BIGINT NOT NULL,
       imported_at ${TEXT} NOT NULL,
       PRIMARY KEY (account, sha256)
     )`,
    `CREATE TABLE bank_lines (
       account ${TEXT} NOT NULL,
       line_id ${TEXT} NOT NULL,
       booked_on ${TEXT} NOT NULL,
       amount_micros BIGINT NOT NULL,
       currency ${TEXT} NOT NULL,
       reference ${TEXT} NOT NULL,
       description ${TEXT} NOT NULL,
       statement_sha256 ${TEXT} NOT NULL,
       PRIMARY KEY (account, line_id),
       FOREIGN KEY (account, statement_sha256) REFERENCES bank_statements (account, sha256)
     )`,
    `CREATE TABLE transit_states (
       id ${IDENTITY},
       item_id ${TEXT} NOT NULL,
       state ${TEXT} NOT NULL,
       as_of ${TEXT} NOT NULL,
       bank_account ${TEXT},
       bank_line_id ${TEXT},
       statement_sha256 ${TEXT},
       recorded_at ${TEXT} NOT NULL
     )`,
    `CREATE INDEX transit_states_by_item ON transit_states (item_id, id)`,
    ...appendOnlyPostgres('bank_statements', 'bank statements are'),
    ...appendOnlyPostgres('bank_lines', 'bank lines are'),
    ...appendOnlyPostgres('transit_states', 'transit states are'),
  ]);
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
