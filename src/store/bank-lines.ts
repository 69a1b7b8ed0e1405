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
  document_id: string | null;
}

export interface TransitAlertTable {
  id: Generated<bigint>;
  item_id: string;
  state: string;
  as_of: string;
  alerted_at: string;
}

export type BankTables = {
  bank_statements: BankStatementTable;
  bank_lines: BankLineTable;
  transit_states: TransitStateTable;
  transit_alerts: TransitAlertTable;
};

/** The store's kysely handle with the bank tables: they are this folder's alone. */
export const bankQueries = (store: LedgerStore) => queryBuilder(store).withTables<BankTables>();

const INSERT_LINE = insertRows(
  'bank_lines',
  { account: 'text', line_id: 'text', booked_on: 'text', amount_micros: 'bigint', currency: 'text', reference: 'text', description: 'text', statement_sha256: 'text' },
  sql`ON CONFLICT (account, line_id) DO NOTHING`,
);

/** Lands a statement: its file's row once, then every line the account does not hold yet, all in one unit of work. */
export async function landStatement(store: LedgerStore, statement: StatementToLand): Promise<LandedStatement> {
  return store.unitOfWork(async () => {
    const db = bankQueries(store);
    const { changes } = await store.run(
      db
        .insertInto('bank_statements')
        .values({ account: statement.account, sha256: statement.sha256, file: statement.file, format: statement.format, lines_read: BigInt(statement.lines.length), imported_at: statement.importedAt })
        .onConflict((conflict) => conflict.columns(['account', 'sha256']).doNothing()),
    );
    const rows = statement.lines.map((line) => [statement.account, line.lineId, line.bookedOn, line.amountMicros, line.currency, line.reference, line.description, statement.sha256] as const);
    const added = await store.runEach(INSERT_LINE, rows);
    return { read: statement.lines.length, added, seenBefore: changes === 0 };
  });
}
