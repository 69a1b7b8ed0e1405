import { sql, type Generated } from 'kysely';
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
}

export type BankTables = {
  bank_statements: BankStatementTable;
  bank_lines: BankLineTable;
  transit_states: TransitStateTable;
};

/** The store's kysely handle with the bank tables: they are this folder's alone. */
export const bankQueries = (store: LedgerStore) => queryBuilder(store).withTables<BankTables>();

const INSERT_LINE = insertRows(
  'bank_lines',
  { account: 'text', line_id: 'text', booked_on: 'text', amount_micros: 'bigint', currency: 'text', reference: 'text', description: 'text', statement_sha256: 'text' },
  sql`ON CONFLICT (account, line_id) DO NOTHING`,
);

/**
 * Lands a statement in one unit of work: its file's row once, then every line the account does not hold yet,
 * batch by batch as the file is read. A process killed halfway rolls the whole unit back: a statement is kept
 * whole or not at all, and a re-import adds only what was not kept.
 */
export async function landStatement(store: LedgerStore, statement: StatementToLand): Promise<LandedStatement> {
  return store.unitOfWork(async () => {
    const { changes } = await store.run(
      bankQueries(store)
        .insertInto('bank_statements')
        .values({ account: statement.account, sha256: statement.sha256, file: statement.file, format: statement.format, lines_read: BigInt(statement.lineCount), imported_at: statement.importedAt })
        .onConflict((conflict) => conflict.columns(['account', 'sha256']).doNothing()),
    );
    let read = 0;
    let added = 0;
    for await (const lines of statement.lines) {
      const rows = lines.map((line) => [statement.account, line.lineId, line.bookedOn, line.amountMicros, line.currency, line.reference, line.description, statement.sha256] as const);
      added += await store.runEach(INSERT_LINE, rows);
      read += lines.length;
    }
    return { read, added, seenBefore: changes === 0 };
  });
}
