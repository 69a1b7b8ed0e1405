import { createHash } from 'node:crypto';
import { StatementFormatError } from '../../errors.js';
import { isCalendarDate } from '../../calendar/index.js';
import { AmountFormatError, MICRO_SCALE, currencyDecimals, formatMicros, parseMicros } from '../../money/index.js';
import { printable } from '../../log/index.js';
import type { BankLine, StatementBalances } from '../../rules/index.js';

/**
 * What a statement says besides its lines, filled in as it is read: the account(s) it is of, as written (a camt
 * <IBAN> or <Othr><Id>, an OFX <ACCTID>), and notes for the person importing it (an OFX tag skipped, a batch
 * entry kept whole). Example: { accounts: ["DE89370400440532013000"], notes: [] }.
 */
export interface StatementFacts {
  accounts: string[];
  notes: string[];
  /** A camt.053 file's balances (its earliest OPBD, its latest CLBD), or a CSV's from its `balance` column (before the earliest line, after the latest). */
  balances?: StatementBalances;
}

/** A line before it has an id of its own. */
export type UnnamedLine = Omit<BankLine, 'lineId'> & { lineId: string | undefined };

/**
 * Names each line without an id of its own by a hash of its content and its place among identical lines, so the
 * same file read twice gives the same ids and two fees of 1.00 on one day stay two lines. Example: two lines
 * 2026-11-14 -1.00 EUR "fee" → sha256 of "2026-11-14|-1000000|EUR|fee||1" and of "…|2". The count of each
 * content runs over the whole file, so it is kept across the batches the file is read in.
 */
export function lineNamer(): (lines: readonly UnnamedLine[]) => BankLine[] {
  const seen = new Map<string, number>();
  return (lines) =>
    lines.map((line) => {
      // A line with its own id is handed on as it is: a copy per line was 100,000 objects more for the collector.
      if (hasOwnId(line)) return line;
      const content = [line.bookedOn, String(line.amountMicros), line.currency, line.reference, line.description].join(
        '|',
      );
      const occurrence = (seen.get(content) ?? 0) + 1;
      seen.set(content, occurrence);
      return { ...line, lineId: `sha256:${createHash('sha256').update(`${content}|${occurrence}`).digest('hex')}` };
    });
}

function hasOwnId(line: UnnamedLine): line is BankLine {
  return line.lineId !== undefined && line.lineId !== '';
}

/** How a bank writes an amount: digits, at most one decimal point, no exponent ("1e5" is not a bank's 100000). */
const PLAIN_DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)$/;

/**
 * A statement's decimal amount as micro-units, never through a float: "-12.50" → -12_500_000n; "+3" → 3_000_000n.
 * An exponent ("1e5") is refused, and, given the currency, digits past its decimals: a USD balance of "1016.191"
 * would book an opening of 1000.001 USD (trailing zeros, "12.500", are the same amount and read).
 */
export function statementAmount(text: string, file: string, place: string, currency?: string): bigint {
  const trimmed = text.trim();
  const written = trimmed.startsWith('+') ? trimmed.slice(1) : trimmed;
  if (!PLAIN_DECIMAL.test(written))
    throw new StatementFormatError(
      file,
      place,
      `"${printable(trimmed)}" is not an amount${/e/i.test(written) ? ' (written in exponent form: write its digits)' : ''}`,
    );
  let micros: bigint;
  try {
    micros = parseMicros(written);
  } catch (error) {
    if (!(error instanceof AmountFormatError)) throw error;
    throw new StatementFormatError(file, place, `"${printable(trimmed)}" is not an amount`);
  }
  // Issue 84: a balance of 99999999999999999999.99 reached the database's 64-bit column and failed there (exit 70).
  if (micros > LEDGER_MAX_MICROS || micros < -LEDGER_MAX_MICROS)
    throw new StatementFormatError(
      file,
      place,
      `"${printable(trimmed)}" is out of range: the ledger holds amounts up to ±${formatMicros(LEDGER_MAX_MICROS)}`,
    );
  const decimals = currency === undefined ? undefined : currencyDecimals(currency);
  if (decimals !== undefined && decimals < MICRO_SCALE && micros % 10n ** BigInt(MICRO_SCALE - decimals) !== 0n)
    throw new StatementFormatError(
      file,
      place,
      `"${printable(trimmed)}" has more decimals than ${currency} has (${decimals}): not an amount the bank moved`,
    );
  return micros;
}

/** The largest amount the ledger's 64-bit columns hold, in micro-units: 9,223,372,036,854.775807. */
const LEDGER_MAX_MICROS = 2n ** 63n - 1n;

/** A date as YYYY-MM-DD, or the place named: "2026-11-14T09:00:00" and "20261114120000.000[-5:EST]" both read 2026-11-14. */
export function statementDate(text: string, file: string, place: string): string {
  const written = text.trim();
  // The ISO form checked first and once: it is every camt.053 line's, and a date checked twice was 5% of an import.
  const iso = written.slice(0, 10);
  if (isCalendarDate(iso)) return iso;
  const compact = `${written.slice(0, 4)}-${written.slice(4, 6)}-${written.slice(6, 8)}`;
  if (!isCalendarDate(compact)) throw new StatementFormatError(file, place, `"${written}" is not a date`);
  return compact;
}
