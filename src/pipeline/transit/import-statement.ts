import type { BankLine, LandedStatement, StatementFormat } from '../../rules/index.js';
import { readStatement, readStatementBalances, type BankStatementSourceConfig } from '../../sources/index.js';
import type { TransitBooks } from './transit-books.js';

/** What `ledgerline bank import` reports. */
export interface StatementImport extends LandedStatement {
  account: string;
  file: string;
  format: StatementFormat;
  sha256: string;
}

/**
 * A named moment inside the import's unit of work, where the CLI lets a test's seeded kill -9 land
 * (cli/kill-point.ts): "bank-import:batch-2" once the second batch of lines is written, "bank-import:lines-landed"
 * once the last is, before the file's row, the move of its lines and the commit.
 */
export type ImportMoment = (moment: string) => void;

/**
 * Reads a statement for a bank account and lands its lines raw, batch by batch as the file is read, in one unit of
 * work: a malformed file (a StatementFormatError naming its line or element) or a process killed halfway leaves
 * the books as they were, and memory holds one batch whatever the file's size.
 */
export async function importStatement(books: TransitBooks, path: string, account: BankStatementSourceConfig, now: Date, at: ImportMoment = () => {}): Promise<StatementImport> {
  const statement = await readStatement(path, account);
  const balances = await readStatementBalances(path, statement.file, statement.format);
  const landed = await books.unitOfWork(async () => {
    const kept = await books.landStatement({ account: account.id, file: statement.file, format: statement.format, sha256: statement.sha256, lines: announced(statement.lines, at), importedAt: now.toISOString() });
    if (balances !== null) await books.keepStatementBalances(account.id, statement.sha256, balances);
    return kept;
  });
  return { account: account.id, file: statement.file, format: statement.format, sha256: statement.sha256, ...landed };
}

/** The batches as they are, each moment named once the store asked for the next (so it has written this one). */
async function* announced(batches: AsyncIterable<BankLine[]>, at: ImportMoment): AsyncGenerator<BankLine[]> {
  let count = 0;
  for await (const batch of batches) {
    yield batch;
    count += 1;
    at(`bank-import:batch-${count}`);
  }
  at('bank-import:lines-landed');
}
