import { addDays } from '../../calendar/index.js';
import { formatMicros } from '../../money/index.js';
import type { TransitBooks } from './transit-books.js';

/** A bank account whose statement's closing balance the ledger does not reach: the fifth leg of the tie-out. */
export interface BankBalanceOff {
  /** The bank account (its source id) and the chart's account its legs book to. */
  account: string;
  ledgerAccount: string;
  currency: string;
  /** The earliest statement's opening balance and day, the latest one's closing balance and day, as the bank wrote them. */
  opening: string;
  from: string;
  through: string;
  statementClosing: string;
  /** The opening balance plus what the ledger's account moved from `from` through `through`. */
  ledgerClosing: string;
  /** What the bank holds that the ledger does not (statement less ledger). */
  difference: string;
  message: string;
}

/**
 * Each bank account whose ledger account, from the earliest statement's opening balance (camt OPBD) plus what the
 * ledger moved through the latest statement's closing day, is not the closing balance the bank wrote (camt CLBD,
 * OFX LEDGERBAL); equal, or no statement with both balances: nothing. Example: opening 1,000.00 on 04-01, the
 * ledger's bank moved +192.50 (the legs) through 04-30, the bank says 390.50 → 802.00 off: the rent (−800.00)
 * and a card fee (−1.50), lines no item took, and 0.50 more to look for.
 */
export async function bankBalancesOff(
  books: TransitBooks,
  ledgerAccounts: ReadonlyMap<string, string>,
): Promise<BankBalanceOff[]> {
  const off: BankBalanceOff[] = [];
  for (const [account, ledgerAccount] of ledgerAccounts) {
    const balances = await books.statementBalances(account);
    const opening = balances
      .flatMap((balance) => (balance.opening === null ? [] : [{ ...balance.opening, currency: balance.currency }]))
      .sort((a, b) => a.on.localeCompare(b.on))[0];
    const closing = balances
      .flatMap((balance) => (balance.closing === null ? [] : [{ ...balance.closing, currency: balance.currency }]))
      .sort((a, b) => b.on.localeCompare(a.on))[0];
    if (opening === undefined || closing === undefined || closing.on < opening.on) continue;
    const [through, before] = await Promise.all([
      books.accountBalanceThrough(ledgerAccount, closing.currency, closing.on),
      books.accountBalanceThrough(ledgerAccount, closing.currency, addDays(opening.on, -1)),
    ]);
    const ledgerClosing = opening.amountMicros + through - before;
    if (ledgerClosing === closing.amountMicros) continue;
    const difference = closing.amountMicros - ledgerClosing;
    off.push({
      account,
      ledgerAccount,
      currency: closing.currency,
      opening: formatMicros(opening.amountMicros),
      from: opening.on,
      through: closing.on,
      statementClosing: formatMicros(closing.amountMicros),
      ledgerClosing: formatMicros(ledgerClosing),
      difference: formatMicros(difference),
      message:
        `bank account ${account}: the statement closes ${closing.on} at ${formatMicros(closing.amountMicros)} ` +
        `${closing.currency}, the ledger's ${ledgerAccount} ` +
        `(opening ${formatMicros(opening.amountMicros)} on ${opening.on} and what it booked since) ` +
        `at ${formatMicros(ledgerClosing)}: ${formatMicros(difference)} the ledger does not hold; ` +
        `"ledgerline bank lines --unmatched" lists the lines no payout or top-up took, to book with "ledgerline adjust"`,
    });
  }
  return off;
}
