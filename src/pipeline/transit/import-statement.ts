import type { LandedStatement, StatementFormat } from '../../rules/index.js';
import { readStatement, type BankStatementSourceConfig } from '../../sources/index.js';
import type { TransitBooks } from './transit-books.js';

/** What `ledgerline bank import` reports. */
export interface StatementImport extends LandedStatement {
  account: string;
  file: string;
  format: StatementFormat;
  sha256: string;
}

/**
 * Reads a statement for a bank account and lands its lines raw. The file is read to its end before anything is
 * written, so a malformed one (a StatementFormatError naming its line or element) leaves the books untouched.
 */
export async function importStatement(books: TransitBooks, path: string, account: BankStatementSourceConfig, now: Date): Promise<StatementImport> {
  const statement = await readStatement(path, account);
  const landed = await books.landStatement({ account: account.id, file: statement.file, format: statement.format, sha256: statement.sha256, lines: statement.lines, importedAt: now.toISOString() });
  return { account: account.id, file: statement.file, format: statement.format, sha256: statement.sha256, ...landed };
}
