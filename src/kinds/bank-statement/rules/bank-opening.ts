import { addDays } from '../../../calendar/index.js';
import { formatMicros } from '../../../money/index.js';
import type { JournalEntry, StatementBalances, StatementFormat, StatementOpening } from '../../../rules/index.js';

/** What every bank account's opening entry id starts with: the account's source id follows (one per account, ever). */
const BANK_OPENING_PREFIX = 'je:bank-opening:';

/** What a statement's lines add up to and where they begin, counted as the file is read. */
export interface StatementLineSum {
  lines: number;
  sumMicros: bigint;
  /** The earliest line's day, when the statement has lines. */
  firstOn: string | undefined;
}

/**
 * A statement's opening balance, the day before its first line (or, with no line, before its opening's own day):
 * camt.053's OPBD as the bank wrote it; a CSV's first line's balance less its amount (its balance column); an OFX,
 * which states only its closing LEDGERBAL, that balance less what its lines moved; none without a balance. Examples:
 * OPBD 4,700.00 on 03-24, first line 03-26 → 4,700.00 at the end
 * of 03-25; LEDGERBAL 390.50, lines adding up to −609.50 from 04-02 → 1,000.00 at the end of 04-01.
 */
export function statementOpening(
  balances: StatementBalances | null,
  sum: StatementLineSum,
  account: { currency: string; format: StatementFormat },
): StatementOpening | null {
  if (balances === null) return null;
  const written = balances.currency === '' ? account.currency : balances.currency;
  if (balances.opening !== null)
    return {
      amountMicros: balances.opening.amountMicros,
      currency: written,
      before: addDays(sum.firstOn ?? balances.opening.on, -1),
      from:
        account.format === 'csv'
          ? `balance column: ${formatMicros(balances.opening.amountMicros)} before its line of ${balances.opening.on}`
          : `OPBD ${formatMicros(balances.opening.amountMicros)} on ${balances.opening.on}`,
    };
  if (balances.closing === null) return null;
  return {
    amountMicros: balances.closing.amountMicros - sum.sumMicros,
    currency: written,
    before: addDays(sum.firstOn ?? balances.closing.on, -1),
    from:
      `closing balance ${formatMicros(balances.closing.amountMicros)} on ${balances.closing.on} ` +
      `less its lines' ${formatMicros(sum.sumMicros)}`,
  };
}

/**
 * The opening of a bank account, booked once from its first statement against its source's opening equity
 * (`openingEquity`, by default the chart's opening_balance_equity), dated the day before its first line, or the day after a closed
 * period when that day falls in one. Examples: 4,700.00 before 03-26 → Dr bank 4,700.00, Cr
 * opening_balance_equity 4,700.00 on 03-25; an overdraft of −120.00 → Dr opening_balance_equity 120.00, Cr bank
 * 120.00; 0.00 → none (nothing to book).
 */
export function bankOpeningEntry(
  opening: StatementOpening,
  accounts: { sourceId: string; bank: string; equity: string; closedThrough: string | undefined },
): JournalEntry | null {
  if (opening.amountMicros === 0n) return null;
  const { closedThrough } = accounts;
  const date =
    closedThrough !== undefined && opening.before <= closedThrough ? addDays(closedThrough, 1) : opening.before;
  return {
    id: `${BANK_OPENING_PREFIX}${accounts.sourceId}`,
    date,
    sourceId: accounts.sourceId,
    description:
      `Opening balance of bank account ${accounts.sourceId}: ${formatMicros(opening.amountMicros)} ` +
      `${opening.currency} before its first statement's first line (${opening.from})`,
    eventIds: [],
    lines: [
      { account: accounts.bank, currency: opening.currency, amountMicros: opening.amountMicros },
      { account: accounts.equity, currency: opening.currency, amountMicros: -opening.amountMicros },
    ],
  };
}
