import { formatMicros } from '../../money/index.js';
import type { TransitBooks } from './books/transit-books.js';

/** A bank account's latest statement closing balance beside what its ledger account holds that day: the fifth leg of the tie-out. */
export interface BankBalanceOff {
  /** The bank account (its source id) and the chart's account its legs book to. */
  account: string;
  ledgerAccount: string;
  currency: string;
  /** The latest statement's closing day and balance, as the bank wrote them. */
  through: string;
  statementClosing: string;
  /** What the ledger's account holds at the end of `through`: its opening, its bank legs, what a person booked. */
  ledgerClosing: string;
  /** What the bank holds that the ledger does not (statement less ledger): below zero, what the ledger holds more. */
  difference: string;
  message: string;
}

/**
 * Each bank account whose latest statement's closing balance (camt CLBD, OFX LEDGERBAL) is set beside what its
 * ledger account holds at the end of that day: like with like, the ledger's own balance (the opening its first
 * statement booked included), never a figure of the statement's added to it. `ties` when equal. Example: closing
 * 3,191.00 on 03-31, the ledger's bank through 03-31 holds 4,700.00 (opening) − 30.00 (a top-up's leg) = 4,670.00
 * → 1,479.00 the ledger does not hold: the rent (−1,450.00) and an account fee (−9.00), lines no item took, and
 * 20.00 more to look for; once they are booked, 3,191.00 → ties. No statement with a closing balance (on or before
 * `asOf`, when given): nothing.
 */
export async function bankBalanceChecks(
  books: TransitBooks,
  ledgerAccounts: ReadonlyMap<string, string>,
  asOf?: string,
): Promise<{ check: BankBalanceOff; ties: boolean }[]> {
  const checks: { check: BankBalanceOff; ties: boolean }[] = [];
  for (const [account, ledgerAccount] of ledgerAccounts) {
    // As of a day, the latest closing the bank had written by then: a later statement's is not yet known.
    const closing = (await books.statementBalances(account))
      .flatMap((balance) => (balance.closing === null ? [] : [{ ...balance.closing, currency: balance.currency }]))
      .filter((balance) => asOf === undefined || balance.on <= asOf)
      .sort((a, b) => b.on.localeCompare(a.on))[0];
    if (closing === undefined) continue;
    const held = await books.accountBalanceThrough(ledgerAccount, closing.currency, closing.on);
    const difference = closing.amountMicros - held;
    const [statement, ledger] = [formatMicros(closing.amountMicros), formatMicros(held)];
    const says = `bank account ${account}: the statement closes ${closing.on} at ${statement} ${closing.currency}`;
    const check = {
      ...{ account, ledgerAccount, currency: closing.currency, through: closing.on },
      ...{ statementClosing: statement, ledgerClosing: ledger, difference: formatMicros(difference) },
      message:
        difference === 0n
          ? `${says}, and the ledger's ${ledgerAccount} holds ${ledger} that day`
          : `${says}, the ledger's ${ledgerAccount} holds ${ledger} that day: ` +
            `${difference > 0n ? `${formatMicros(difference)} the ledger does not hold` : `${formatMicros(-difference)} more than the bank`}; ` +
            `"ledgerline bank lines --unmatched" lists the lines no payout or top-up took, to book with "ledgerline adjust"`,
    };
    checks.push({ check, ties: difference === 0n });
  }
  return checks;
}

/** The bank accounts whose ledger account does not hold its latest statement's closing balance (bankBalanceChecks). */
export async function bankBalancesOff(
  books: TransitBooks,
  ledgerAccounts: ReadonlyMap<string, string>,
  asOf?: string,
): Promise<BankBalanceOff[]> {
  return (await bankBalanceChecks(books, ledgerAccounts, asOf)).filter(({ ties }) => !ties).map(({ check }) => check);
}
