import { StatementMismatchError } from '../../../errors.js';
import { formatMicros } from '../../../money/index.js';
import type { BankLine, StatementToLand } from '../../../rules/index.js';

/** A line id given twice with different money, and what it says of the money. */
type ChangedBankLine = Parameters<NonNullable<StatementToLand['changedLine']>>[0];
type BankLineMoney = ChangedBankLine['given'];

/** The bank account a statement is imported into, as the rules need it: its source id and currency. */
interface StatementAccount {
  id: string;
  currency: string;
}

/**
 * A batch of a statement's lines normalized for its account: the lines as they are, refused whole when one is in
 * another currency than the account's. Example: 50.00 USD into main-bank kept in EUR → refused, naming the line.
 */
export function normalizeStatementLines(
  batch: readonly BankLine[],
  account: StatementAccount,
  file: string,
): BankLine[] {
  const foreign = batch.find((line) => line.currency !== account.currency);
  if (foreign !== undefined) {
    throw new StatementMismatchError(
      file,
      `line ${foreign.lineId}`,
      `${formatMicros(foreign.amountMicros)} ${foreign.currency} on ${foreign.bookedOn} is in ${foreign.currency}, ` +
        `and ${account.id} is kept in ${account.currency}`,
      `import it into the bank account kept in ${foreign.currency}, or set currency: ${foreign.currency} ` +
        `on ${account.id} in ledgerline.yaml if the account is in ${foreign.currency}`,
    );
  }
  return [...batch];
}

/**
 * The account number the statement names, once it was read whole, refused when it is not the one expected (the
 * configuration's accountNumber, else the one its earlier statements named). Spaces and case do not count:
 * "DE89 3704 0044 0532 0130 00" is DE89370400440532013000.
 */
export function statementAccountNumber(
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
export function changedLineRefusal(file: string, changed: ChangedBankLine): StatementMismatchError {
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
