import type { Kysely } from 'kysely';
import { IDENTITY, TEXT, appendOnly as appendOnlyPostgres, runStatements } from './postgres-rules.js';
import { appendOnly } from './sqlite-rules.js';

/**
 * What a person decided between bank lines and payouts or top-ups, and what a statement says the account held.
 *
 * transit_links: each word a person gave (`ledgerline transit match ITEM LINE`, `transit unmatch ITEM`), with who
 * and when; an item's latest word decides. Example: (payelancer:pub:payout:2026-04-08, match, operating, L-17,
 * ana, …) → the payout takes line L-17 whatever the rules would pick; then (…, unmatch, operating, L-17, ana, …) →
 * it takes it no more, and the rules never give it L-17 again. bank_statement_balances: a statement's opening
 * and closing balances as its bank wrote them (camt.053 OPBD and CLBD, OFX LEDGERBAL), one row per statement
 * file. bank_lines_by_amount: the index that finds an item's candidate lines (currency, amount window, day
 * window) without reading the account's every line. The two tables are append-only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE transit_links (
       id INTEGER PRIMARY KEY AUTOINCREMENT,
       item_id TEXT NOT NULL,
       action TEXT NOT NULL CHECK (action IN ('match', 'unmatch')),
       account TEXT NOT NULL,
       line_id TEXT NOT NULL,
       os_user TEXT NOT NULL,
       at TEXT NOT NULL
     ) STRICT`,
    `CREATE INDEX transit_links_by_item ON transit_links (item_id, id)`,
    `CREATE TABLE bank_statement_balances (
       account TEXT NOT NULL,
       sha256 TEXT NOT NULL,
       currency TEXT NOT NULL,
       opening_micros INTEGER,
       opening_on TEXT,
       closing_micros INTEGER,
       closing_on TEXT,
       PRIMARY KEY (account, sha256),
       FOREIGN KEY (account, sha256) REFERENCES bank_statements (account, sha256)
     ) STRICT, WITHOUT ROWID`,
    `CREATE INDEX bank_lines_by_amount ON bank_lines (currency, amount_micros, booked_on)`,
    ...appendOnly('transit_links', 'transit links are'),
    ...appendOnly('bank_statement_balances', 'statement balances are'),
  ]);
}

export async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE transit_links (
       id ${IDENTITY},
       item_id ${TEXT} NOT NULL,
       action ${TEXT} NOT NULL CHECK (action IN ('match', 'unmatch')),
       account ${TEXT} NOT NULL,
       line_id ${TEXT} NOT NULL,
       os_user ${TEXT} NOT NULL,
       at ${TEXT} NOT NULL
     )`,
    `CREATE INDEX transit_links_by_item ON transit_links (item_id, id)`,
    `CREATE TABLE bank_statement_balances (
       account ${TEXT} NOT NULL,
       sha256 ${TEXT} NOT NULL,
       currency ${TEXT} NOT NULL,
       opening_micros BIGINT,
       opening_on ${TEXT},
       closing_micros BIGINT,
       closing_on ${TEXT},
       PRIMARY KEY (account, sha256),
       FOREIGN KEY (account, sha256) REFERENCES bank_statements (account, sha256)
     )`,
    `CREATE INDEX bank_lines_by_amount ON bank_lines (currency, amount_micros, booked_on)`,
    ...appendOnlyPostgres('transit_links', 'transit links are'),
    ...appendOnlyPostgres('bank_statement_balances', 'statement balances are'),
  ]);
}

export async function down(): Promise<void> {
  throw new Error('the ledger schema is never rolled back: books are append-only');
}
