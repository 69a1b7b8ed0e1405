import { StatementMismatchError } from '../../errors.js';
import { formatMicros } from '../../money/index.js';
import type { BankLine, LandedStatement, StatementFormat, StatementToLand } from '../../rules/index.js';
import { readStatement, readStatementBalances, type BankStatementSourceConfig } from '../../sources/index.js';
import type { TransitBooks } from './transit-books.js';

/** A line id given twice with different money, and what it says of the money. */
type ChangedBankLine = Parameters<NonNullable<StatementToLand['changedLine']>>[0];
type BankLineMoney = ChangedBankLine['given'];

/** What `ledgerline bank import` reports. */
export interface StatementImport extends LandedStatement {
  account: string;
  file: string;
  format: StatementFormat;
  sha256: string;
  /** What the person importing should know and nothing refused: an OFX tag skipped, a batch entry kept whole. */
  notes: string[];
}

/**
 * A named moment inside the import's unit of work, where the CLI lets a test's seeded kill -9 land
 * (cli/kill-point.ts): "bank-import:batch-2" once the second batch of lines is written, "bank-import:lines-landed"
 * once the last is, before the file's row, the move of its lines and the commit.
 */
export type ImportMoment = (moment: string) => void;

/**
 * Reads a statement for a bank account and lands its lines raw, batch by batch as the file is read, in one unit of
 * work: a malformed file (a StatementFormatError naming its line or element), a statement that is not the
 * account's (a StatementMismatchError: a line in another currency, another account's number, a line the account
 * holds with other content) or a process killed halfway leaves the books as they were, and memory holds one
 * batch whatever the file's size.
 */
export async function importStatement(
  books: TransitBooks,
  path: string,
  account: BankStatementSourceConfig,
  now: Date,
  at: ImportMoment = () => {},
): Promise<StatementImport> {
  const statement = await readStatement(path, account);
  const expected =
    account.accountNumber === undefined
      ? await known(books, account.id)
      : { number: account.accountNumber, from: 'ledgerline.yaml names' };
  const { file, facts } = statement;
  const lines = checked(statement.lines, account, file);
  const balances = await readStatementBalances(path, file, statement.format);
  const landed = await books.unitOfWork(async (tx) => {
    const kept = await tx.landStatement({
      account: account.id,
      file,
      format: statement.format,
      sha256: statement.sha256,
      lines: announced(lines, at),
      importedAt: now.toISOString(),
      accountNumber: () => statementAccount(facts.accounts, expected, account.id, file),
      changedLine: (changed) => changedLineRefusal(file, changed),
    });
    if (balances !== null) await tx.keepStatementBalances(account.id, statement.sha256, balances);
    return kept;
  });
  return {
    account: account.id,
    file,
    format: statement.format,
    sha256: statement.sha256,
    ...landed,
    notes: facts.notes,
  };
}

async function known(books: TransitBooks, account: string): Promise<{ number: string; from: string } | undefined> {
  const number = await books.knownAccountNumber(account);
  return number === undefined ? undefined : { number, from: 'its earlier statements name' };
}

/** The batches as they are, each line refused when it is in another currency than the account's. */
async function* checked(
  batches: AsyncIterable<BankLine[]>,
  account: BankStatementSourceConfig,
  file: string,
): AsyncGenerator<BankLine[]> {
  for await (const batch of batches) {
    const foreign = batch.find((line) => line.currency !== account.currency);
    if (foreign !== undefined) {
      throw new StatementMismatchError(
        file,
        `line ${foreign.lineId}`,
        `${formatMicros(foreign.amountMicros)} ${foreign.currency} on ${foreign.bookedOn} is in ${foreign.currency}, and ${account.id} is kept in ${account.currency}`,
        `import it into the bank account kept in ${foreign.currency}, or set currency: ${foreign.currency} on ${account.id} in ledgerline.yaml if the account is in ${foreign.currency}`,
      );
    }
    yield batch;
  }
}

/**
 * The account number the statement names, once it was read whole, refused when it is not the one expected (the
 * configuration's accountNumber, else the one its earlier statements named). Spaces and case do not count:
 * "DE89 3704 0044 0532 0130 00" is DE89370400440532013000.
 */
function statementAccount(
  named: readonly string[],
  expected: { number: string; from: string } | undefined,
  account: string,
  file: string,
): string | undefined {
  const plain = (number: string) => number.replace(/\s+/g, '').toUpperCase();
  const other =
    expected === undefined
      ? named.find((number) => plain(number) !== plain(named[0] ?? ''))
      : named.find((number) => plain(number) !== plain(expected.number));
  if (other !== undefined) {
    const wanted =
      expected === undefined
        ? `${named[0] ?? ''} (the file's first statement)`
        : `${expected.number} (what ${expected.from} for ${account})`;
    throw new StatementMismatchError(
      file,
      "the statement's account",
      `the file is of account ${other}, and ${account} is ${wanted}`,
      `import it with --account naming the source of ${other}, or correct accountNumber of ${account} in ledgerline.yaml`,
    );
  }
  return named[0];
}

/** A line id given with other money than the account holds: "this file has -55.00 EUR on 2026-11-17, the account holds it … as -50.00 EUR on …". */
function changedLineRefusal(file: string, changed: ChangedBankLine): StatementMismatchError {
  const money = (line: BankLineMoney) => `${formatMicros(line.amountMicros)} ${line.currency} on ${line.bookedOn}`;
  const other =
    changed.where === 'account'
      ? 'the account holds it from an earlier statement as'
      : 'the same file gives it elsewhere as';
  return new StatementMismatchError(
    file,
    `line ${changed.lineId}`,
    `this file has ${money(changed.given)}, ${other} ${money(changed.other)}`,
    "a bank does not change a line it has sent: check that the file is this account's and not edited, or ask the bank which one is right",
  );
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
