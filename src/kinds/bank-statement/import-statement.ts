import { loadWholeUnit } from '../../pipeline/runs/index.js';
import type { LandedFacts, StatementImport } from '../../pipeline/transit/index.js';
import type { BankLine } from '../../rules/index.js';
import type { BankStatementSourceConfig } from './bank-statement-config.js';
import { readStatement } from './read-statement.js';
import { stagedStatement, type ImportMoment, type StatementBooks, type StatementReads } from './staged-statement.js';
import { readStatementBalances } from './statement-balances.js';
import { statementAccountNumber } from './rules/statement-rules.js';
import { statementOpening, type StatementLineSum } from './rules/bank-opening.js';

/** The transit's port as the import uses it: the statement's verbs, and a unit of work handing them bound to it. */
interface ImportBooks<Tx extends StatementBooks> extends StatementReads {
  /** Hands `work` the statement's verbs bound to the unit: a verb on the outer books inside it would run alone. */
  unitOfWork<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

/**
 * Reads a statement for a bank account and lands its lines raw, batch by batch as the file is read, in one unit of
 * work (the staged shape: stagedStatement, loaded by the pipeline's loadWholeUnit), and runs `then` in that same
 * unit once they are landed (the opening, the bank legs), so a line is never kept without them: a malformed file (a
 * StatementFormatError naming its line or element), a statement that is not the account's (a
 * StatementMismatchError: a line in another currency, another account's number, a line the account holds with
 * other content) or a process killed halfway leaves the books as they were, and memory holds one batch whatever the
 * file's size. A dry run reads and checks the same lines and writes nothing (it cannot tell a line the account
 * holds with other money: that is the write's own check); it keeps the lines `keep` asks for, to say what the real
 * run would match.
 */
export async function importStatement<Tx extends StatementBooks>(
  books: ImportBooks<Tx>,
  path: string,
  account: BankStatementSourceConfig,
  options: {
    now: Date;
    at?: ImportMoment;
    dryRun?: boolean;
    then?: (tx: Tx, facts: LandedFacts) => Promise<void>;
    keep?: (line: BankLine) => boolean;
  },
): Promise<StatementImport & { kept: BankLine[] }> {
  const statement = await readStatement(path, account);
  const expected =
    account.accountNumber === undefined
      ? await known(books, account.id)
      : { number: account.accountNumber, from: 'ledgerline.yaml names' };
  const at = options.at ?? (() => {});
  const balances = await readStatementBalances(path, statement.file, statement.format);
  const unit = { account, statement, balances, expected, importedAt: options.now.toISOString(), at };
  const sum: StatementLineSum = { lines: 0, sumMicros: 0n, firstOn: undefined };
  const kept: BankLine[] = [];
  const onChunk = (lines: readonly BankLine[]) => {
    for (const line of lines) {
      sum.lines += 1;
      sum.sumMicros += line.amountMicros;
      if (sum.firstOn === undefined || line.bookedOn < sum.firstOn) sum.firstOn = line.bookedOn;
      if (options.dryRun === true && options.keep?.(line) === true) kept.push(line);
    }
  };
  const opening = () =>
    statementOpening(balances ?? statement.facts.balances ?? null, sum, {
      currency: account.currency,
      format: statement.format,
    });
  let firstStatement = options.dryRun === true ? !(await books.holdsStatements(account.id)) : false;
  const landed = await loadWholeUnit(
    {
      reads: books,
      unit: (work) =>
        books.unitOfWork(async (tx) => {
          firstStatement = !(await tx.holdsStatements(account.id));
          const done = await work(tx);
          await options.then?.(tx, { opening: opening(), firstStatement });
          at('bank-import:settled');
          return done;
        }),
    },
    stagedStatement,
    { io: statement, unit, dryRun: options.dryRun === true, onChunk },
  );
  const { file, format, sha256, facts } = statement;
  // The real run's store asks this once the lines are read; a dry run asks it itself.
  if (landed === undefined) statementAccountNumber(facts.accounts, expected, account.id, file);
  const done = landed ?? { read: sum.lines, added: 0, seenBefore: false, dryRun: true as const };
  return {
    ...{ account: account.id, file, format, sha256, ...done, notes: facts.notes },
    ...{ opening: opening(), firstStatement, kept },
  };
}
async function known(books: StatementReads, account: string): Promise<{ number: string; from: string } | undefined> {
  const number = await books.knownAccountNumber(account);
  return number === undefined ? undefined : { number, from: 'its earlier statements name' };
}
