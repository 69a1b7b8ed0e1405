import { sql, type Compilable, type Generated, type RawBuilder } from 'kysely';
import type { LandedStatement, StatementToLand } from '../rules/index.js';
import { insertRows, type LedgerStore } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';

/** Row types of migration 0019's bank tables. */
export interface BankStatementTable {
  account: string;
  sha256: string;
  file: string;
  format: string;
  lines_read: bigint | number;
  imported_at: string;
}

export interface BankLineTable {
  account: string;
  line_id: string;
  booked_on: string;
  amount_micros: bigint;
  currency: string;
  reference: string;
  description: string;
  statement_sha256: string;
}

export interface TransitStateTable {
  id: Generated<bigint>;
  item_id: string;
  state: string;
  as_of: string;
  bank_account: string | null;
  bank_line_id: string | null;
  statement_sha256: string | null;
  recorded_at: string;
  document_id: string | null;
}

export interface TransitAlertTable {
  id: Generated<bigint>;
  item_id: string;
  state: string;
  as_of: string;
  alerted_at: string;
}

/** Migration 0029: a person's word on an item and a line. */
export interface TransitLinkTable {
  id: Generated<bigint>;
  item_id: string;
  action: 'match' | 'unmatch';
  account: string;
  line_id: string;
  os_user: string;
  at: string;
}

/** Migration 0029: a statement's balances as its bank wrote them. */
export interface BankStatementBalanceTable {
  account: string;
  sha256: string;
  currency: string;
  opening_micros: bigint | null;
  opening_on: string | null;
  closing_micros: bigint | null;
  closing_on: string | null;
}

export type BankTables = {
  bank_statements: BankStatementTable;
  bank_lines: BankLineTable;
  transit_states: TransitStateTable;
  transit_alerts: TransitAlertTable;
  transit_links: TransitLinkTable;
  bank_statement_balances: BankStatementBalanceTable;
};

/** The store's kysely handle with the bank tables: they are this folder's alone. */
export const bankQueries = (store: LedgerStore) => queryBuilder(store).withTables<BankTables>();

/** A line's own columns: its account and statement are the file's, bound once in the move, not staged per line. */
const STAGED_COLUMNS = { line_id: 'text', booked_on: 'text', amount_micros: 'bigint', currency: 'text', reference: 'text', description: 'text' } as const;
const INSERT_STAGED = insertRows('staged_bank_lines', STAGED_COLUMNS);

/** SQL written once for both engines, compiled for the store's dialect. */
const bound = (store: LedgerStore, query: RawBuilder<unknown>): Compilable<unknown> => ({ compile: () => query.compile(queryBuilder(store)) });

/**
 * Lands a statement in one unit of work: its lines are staged batch by batch as the file is read (a temporary
 * table, the unit's own: a rollback or a killed process takes it away), then its file's row is written with the
 * count read, and every staged line the account does not hold yet is moved in by one statement. The file's row
 * must come before its lines (they name it) and its count is known only at the end, hence the staging. A file
 * refused halfway (its lines throw) or a process killed halfway leaves nothing: kept whole or not at all, and a
 * re-import adds only what was not kept. Example: 100,000 lines → 200 staged batches, one row, one move. The
 * staging holds each line's own columns only: the account and the 64-character hash are the same for every
 * line, so they are bound once in the move rather than staged and copied 100,000 times.
 */
export async function landStatement(store: LedgerStore, statement: StatementToLand): Promise<LandedStatement> {
  return store.unitOfWork(async () => {
    await store.run(
      bound(
        store,
        sql`CREATE TEMPORARY TABLE staged_bank_lines (line_id TEXT NOT NULL, booked_on TEXT NOT NULL, amount_micros BIGINT NOT NULL, currency TEXT NOT NULL, reference TEXT NOT NULL, description TEXT NOT NULL)`,
      ),
    );
    let read = 0;
    for await (const lines of statement.lines) {
      await store.runEach(INSERT_STAGED, lines.map((line) => [line.lineId, line.bookedOn, line.amountMicros, line.currency, line.reference, line.description] as const));
      read += lines.length;
    }
    const { changes } = await store.run(
      bankQueries(store)
        .insertInto('bank_statements')
        .values({ account: statement.account, sha256: statement.sha256, file: statement.file, format: statement.format, lines_read: BigInt(read), imported_at: statement.importedAt })
        .onConflict((conflict) => conflict.columns(['account', 'sha256']).doNothing()),
    );
    const columns = sql.join(Object.keys(STAGED_COLUMNS).map((column) => sql.ref(column)));
    // "WHERE true": SQLite reads "ON CONFLICT" after a bare "FROM table" as a join's constraint.
    const moved = await store.run(
      bound(
        store,
        sql`INSERT INTO bank_lines (account, ${columns}, statement_sha256) SELECT ${statement.account}, ${columns}, ${statement.sha256} FROM staged_bank_lines WHERE true ON CONFLICT (account, line_id) DO NOTHING`,
      ),
    );
    await store.run(bound(store, sql`DROP TABLE staged_bank_lines`));
    return { read, added: moved.changes, seenBefore: changes === 0 };
  });
}
