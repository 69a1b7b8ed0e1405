import { loadWholeUnit } from '../../pipeline/runs/index.js';
import type { LandedStatement, StatementFormat } from '../../rules/index.js';
import type { BankStatementSourceConfig } from './bank-statement-config.js';
import { readStatement } from './read-statement.js';
import { stagedStatement, type ImportMoment, type StatementBooks, type StatementReads } from './staged-statement.js';
import { readStatementBalances } from './statement-balances.js';
import { statementAccountNumber } from './rules/statement-rules.js';

/** What `ledgerline bank import` reports; a dry run adds nothing and says so. */
export interface StatementImport extends LandedStatement {
  account: string;
  file: string;
  format: StatementFormat;
  sha256: string;
  /** What the person importing should know and nothing refused: an OFX tag skipped, a batch entry kept whole. */
  notes: string[];
  dryRun?: true;
}

/** The transit's port as the import uses it: the statement's verbs, and a unit of work. */
export interface ImportBooks extends StatementReads {
  /** Hands `work` the statement's verbs bound to the unit: a verb on the outer books inside it would run alone. */
  unitOfWork<T>(work: (tx: StatementBooks) => Promise<T>): Promise<T>;
}

/**
 * Reads a statement for a bank account and lands its lines raw, batch by batch as the file is read, in one unit of
 * work (the staged shape: stagedStatement, loaded by the pipeline's loadWholeUnit): a malformed file (a
 * StatementFormatError naming its line or element), a statement that is not the account's (a
 * StatementMismatchError: a line in another currency, another account's number, a line the account holds with
 * other content) or a process killed halfway leaves the books as they were, and memory holds one batch whatever the
 * file's size. A dry run reads and checks the same lines and writes nothing (it cannot tell a line the account
 * holds with other money: that is the write's own check).
 */
export async function importStatement(
  books: ImportBooks,
  path: string,
  account: BankStatementSourceConfig,
  options: { now: Date; at?: ImportMoment; dryRun?: boolean },
): Promise<StatementImport> {
  const statement = await readStatement(path, account);
  const expected =
    account.accountNumber === undefined
      ? await known(books, account.id)
      : { number: account.accountNumber, from: 'ledgerline.yaml names' };
  const unit = {
    account,
    statement,
    balances: await readStatementBalances(path, statement.file, statement.format),
    expected,
    importedAt: options.now.toISOString(),
    at: options.at ?? (() => {}),
  };
  let read = 0;
  const landed = await loadWholeUnit(
    { reads: books, unit: (work) => books.unitOfWork((tx) => work(tx)) },
    stagedStatement,
    { io: statement, unit, dryRun: options.dryRun === true, onChunk: (lines) => (read += lines.length) },
  );
  const { file, format, sha256, facts } = statement;
  // The real run's store asks this once the lines are read; a dry run asks it itself.
  if (landed === undefined) statementAccountNumber(facts.accounts, expected, account.id, file);
  const done = landed ?? { read, added: 0, seenBefore: false, dryRun: true as const };
  return { account: account.id, file, format, sha256, ...done, notes: facts.notes };
}

async function known(books: StatementReads, account: string): Promise<{ number: string; from: string } | undefined> {
  const number = await books.knownAccountNumber(account);
  return number === undefined ? undefined : { number, from: 'its earlier statements name' };
}
