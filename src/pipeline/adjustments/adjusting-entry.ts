import type { Mappings } from '../../config/index.js';
import { UsageError } from '../../errors.js';
import { cleanInput } from '../../log/index.js';
import { AmountFormatError, MICRO_SCALE, currencyDecimals, formatMicros, parseScaled } from '../../money/index.js';
import { ADJUSTMENT_SOURCE_ID, bookTax, codedByHand, type JournalEntry, type JournalLine } from '../../rules/index.js';

/** One line as typed: `--debit suspense=28.71`. */
export interface AdjustmentLineText {
  side: 'debit' | 'credit';
  text: string;
}

/** Where a person typed the entry: `adjust`'s flags, or the console's form; each refusal names what they typed there. */
export type AdjustmentTypedIn = 'flags' | 'form';

/** The words a refusal names a field with, as the person sees it: `--debit suspense=28.71`, or "Debit (suspense, 28.71)". */
const FIELD_WORDS: Record<
  AdjustmentTypedIn,
  {
    reason: string;
    tax: string;
    needsReason: string;
    needsLines: string;
    line: (line: AdjustmentLineText) => string;
    shape: (side: AdjustmentLineText['side']) => string;
  }
> = {
  flags: {
    reason: '--reason',
    tax: '--tax',
    needsReason: '--reason "what happened and why"',
    needsLines: 'at least one --debit ACCOUNT=AMOUNT and one --credit ACCOUNT=AMOUNT',
    line: (line) => `--${line.side} ${cleanInput(`--${line.side}`, line.text).slice(0, 80)}`,
    shape: (side) => `write the line as ACCOUNT=AMOUNT, e.g. --${side} suspense=28.71`,
  },
  form: {
    reason: 'Reason',
    tax: 'Tax code',
    needsReason: 'write what happened and why in Reason',
    needsLines: 'a debit account and amount, and a credit account and amount',
    line: (line) =>
      `${line.side === 'debit' ? 'Debit' : 'Credit'} (${cleanInput(
        line.side === 'debit' ? 'Debit' : 'Credit',
        line.text,
      )
        .replace('=', ', ')
        .slice(0, 80)})`,
    shape: (side) => `choose the ${side} account and write its amount, e.g. 28.71`,
  },
};

interface AdjustmentDraftRequest {
  /** The entry's id: je:adjustment:2026-04-02:3. */
  entryId: string;
  date: string;
  currency: string;
  reason: string;
  lines: readonly AdjustmentLineText[];
  /** What a late correction names besides its reason: the date it corrects and the closed period's certificate. */
  correction?: string | undefined;
  /** Per destination, the bank accounts it settles by a bank-side document when the entry has two lines: such a line needs no mapping there. */
  settledAtBank?: ReadonlyMap<string, ReadonlySet<string>> | undefined;
  /** Where it was typed (default: `adjust`'s flags): the refusals name its fields. */
  typedIn?: AdjustmentTypedIn | undefined;
  /** A code of the chart's `tax:` its revenue and expense lines are coded and split by (`--tax INPUT2`, issue 82). */
  taxCode?: string | undefined;
}

/** A reason long enough to say why, short enough for a destination's narration. */
export const MAX_REASON_CHARACTERS = 300;

/** The largest amount of one line: less than 1,000,000,000,000, twelve digits before the point, whatever the currency. */
const MAX_LINE_MICROS = 10n ** 18n - 1n;
/** What an entry's debits (or credits) may add up to: the ledger's 64-bit integers of micro-units. */
const MAX_TOTAL_MICROS = 2n ** 63n - 1n;

/** je:adjustment:2026-04-02:3, the third adjusting entry booked in the ledger. */
export function adjustmentEntryId(date: string, number: number): string {
  return `je:adjustment:${date}:${number}`;
}

/**
 * The journal entry of an adjusting entry, each line read exactly and checked: an account the chart or a
 * destination's mapping names (by key, chart name or mapped name/code), mapped for every destination
 * configured, an amount of at most the currency's decimals, and debits equal to credits. Each refusal names
 * the line. Example: --debit smm_services_expense=28.71 --credit suspense=28.71 in USD →
 * [+28_710_000 smm_services_expense, −28_710_000 suspense]. A line the chart's tax rules code (`tax.bank_fees`, or
 * a flow's rule naming `source: adjustments`) is booked as any coded line, net and tax apart (bookTax): --debit
 * bank_fees=12.00 --credit suspense=12.00 with bank_fees INPUT2 at 20 % → Dr bank_fees 10.00, Dr vat_input 2.00,
 * Cr suspense 12.00 (12.00 × 20 / 120 = 2.00). With --tax CODE, each revenue or expense line is coded CODE whatever its
 * account (codedByHand): --tax INPUT2 --debit smm_services_expense=12.00 --credit suspense=12.00 → Dr
 * smm_services_expense 10.00, Dr vat_input 2.00, Cr suspense 12.00; a code the chart's rules do not give is refused.
 */
export function draftAdjustingEntry(request: AdjustmentDraftRequest, mappings: Mappings): JournalEntry {
  const words = FIELD_WORDS[request.typedIn ?? 'flags'];
  const reason = cleanInput(words.reason, request.reason).trim();
  if (reason === '') throw new UsageError(`an adjusting entry needs its reason: ${words.needsReason}`);
  if (reason.length > MAX_REASON_CHARACTERS)
    throw new UsageError(`${words.reason} is ${reason.length} characters; keep it to ${MAX_REASON_CHARACTERS}`);
  if (request.lines.length < 2) throw new UsageError(`an adjusting entry needs ${words.needsLines}`);
  const decimals = decimalsOf(request.currency);
  const lines = request.lines.map((line): JournalLine => {
    const { account, micros } = readLine(
      line,
      words,
      { decimals, currency: request.currency },
      { mappings, settledAtBank: request.lines.length === 2 ? request.settledAtBank : undefined },
    );
    return { account, currency: request.currency, amountMicros: line.side === 'debit' ? micros : -micros };
  });
  if (!lines.some((line) => line.amountMicros > 0n) || !lines.some((line) => line.amountMicros < 0n)) {
    throw new UsageError(`an adjusting entry needs ${words.needsLines}`);
  }
  const debits = lines.reduce((sum, line) => (line.amountMicros > 0n ? sum + line.amountMicros : sum), 0n);
  if (debits > MAX_TOTAL_MICROS)
    throw new UsageError(
      `the debits add up to ${formatMicros(debits, decimals)} ${request.currency}, beyond what the ` +
        `ledger holds in one entry (${formatMicros(MAX_TOTAL_MICROS, decimals)}); nothing was booked`,
    );
  const credits = debits - lines.reduce((sum, line) => sum + line.amountMicros, 0n);
  if (debits !== credits) {
    throw new UsageError(
      `the lines do not balance: debits ${formatMicros(debits, decimals)} ${request.currency}, credits ` +
        `${formatMicros(credits, decimals)} ${request.currency} ` +
        `(a difference of ${formatMicros(debits > credits ? debits - credits : credits - debits, decimals)}); nothing was booked`,
    );
  }
  const entry: JournalEntry = {
    id: request.entryId,
    date: request.date,
    sourceId: ADJUSTMENT_SOURCE_ID,
    description: `Adjusting entry: ${reason}${request.correction === undefined ? '' : ` (${request.correction})`}`,
    eventIds: [],
    lines: request.taxCode === undefined ? lines : handCodedLines(lines, request, words, mappings),
  };
  return bookTax(entry, mappings.chart.taxBook);
}

/** The lines coded by the request's --tax (codedByHand), or the refusal naming the code and what the chart gives. */
function handCodedLines(
  lines: readonly JournalLine[],
  request: Pick<AdjustmentDraftRequest, 'date' | 'taxCode'>,
  words: (typeof FIELD_WORDS)[AdjustmentTypedIn],
  mappings: Mappings,
): JournalLine[] {
  const code = cleanInput(words.tax, request.taxCode ?? '').trim();
  const book = mappings.chart.taxBook;
  if (book === undefined)
    throw new UsageError(
      `${words.tax} ${code}: ${mappings.chart.file} has no tax: section, so no code has a rate; add the code's rule ` +
        'under tax: there (e.g. order_charge: [{ code: INPUT2, rate: 20 }]), then book the entry',
    );
  const coded = codedByHand(lines, book, code, request.date);
  if ('unknownCode' in coded)
    throw new UsageError(
      `${words.tax} ${code.slice(0, 40)}: no rule under tax: in ${mappings.chart.file} in force on ${request.date} ` +
        `has that code (${coded.codes.length === 0 ? 'none is' : `the codes are ${coded.codes.join(', ')}`}); nothing was booked`,
    );
  if ('noLineToCode' in coded)
    throw new UsageError(
      `${words.tax} ${code}: no line is on a revenue or expense account, so none takes a code; nothing was booked`,
    );
  return coded.lines;
}

function readLine(
  line: AdjustmentLineText,
  words: (typeof FIELD_WORDS)[AdjustmentTypedIn],
  { decimals, currency }: { decimals: number; currency: string },
  accounts: AccountReading,
): { account: string; micros: bigint } {
  const named = words.line(line);
  const split = line.text.lastIndexOf('=');
  if (split <= 0) throw new UsageError(`${named}: ${words.shape(line.side)}`);
  const account = accountOf(line.text.slice(0, split).trim(), named, accounts);
  const amount = line.text.slice(split + 1).trim();
  // Plain digits only: a sign, an exponent or a thousands separator is a typo in a figure a person writes.
  if (!/^\d+(\.\d+)?$/.test(amount))
    throw new UsageError(`${named}: the amount "${amount.slice(0, 40)}" is not a plain positive amount such as 28.71`);
  let units: bigint;
  try {
    units = parseScaled(amount, decimals);
  } catch (error) {
    if (error instanceof AmountFormatError)
      throw new UsageError(
        `${named}: ${amount} has more than the ${decimals} decimal places ${currency} is written with`,
      );
    throw error;
  }
  if (units === 0n) throw new UsageError(`${named}: a line of 0 books nothing; leave it out`);
  const micros = units * 10n ** BigInt(MICRO_SCALE - decimals);
  if (micros > MAX_LINE_MICROS)
    throw new UsageError(
      `${named}: ${amount.slice(0, 40)} is beyond what the ledger holds in one line (less than 1000000000000 ${currency})`,
    );
  return { account, micros };
}

/** The chart and mappings, and per destination the bank accounts a two-line entry needs no mapping for there (AdjustmentDraftRequest.settledAtBank). */
interface AccountReading {
  mappings: Mappings;
  settledAtBank: ReadonlyMap<string, ReadonlySet<string>> | undefined;
}

/** The chart's key for what a person typed: the key itself, the chart's name, or a destination mapping's name or code. */
function accountOf(typed: string, named: string, { mappings, settledAtBank }: AccountReading): string {
  const { accounts } = mappings.chart;
  const lower = typed.toLowerCase();
  const key =
    (Object.hasOwn(accounts, typed) ? typed : undefined) ??
    Object.entries(accounts).find(([, account]) => account.name.toLowerCase() === lower)?.[0] ??
    [...mappings.destinations.values()]
      .flatMap((mapping) => Object.entries(mapping.accounts))
      .find(([, mapped]) => mappedNames(mapped).includes(lower))?.[0];
  if (key === undefined)
    throw new UsageError(
      `${named}: no account "${typed}" in ${mappings.chart.file} (the accounts are ${Object.keys(accounts).join(', ')})`,
    );
  for (const [destination, mapping] of mappings.destinations) {
    if (!Object.hasOwn(mapping.accounts, key) && settledAtBank?.get(destination)?.has(key) !== true)
      throw new UsageError(
        `${named}: account ${key} is not mapped in ${mapping.file}; add it under accounts: there, then book the entry`,
      );
  }
  return key;
}

/** A mapped account's name and code, lower-case, whatever the destination's shape ({ code } in Xero, { id, name } in QuickBooks). */
function mappedNames(mapped: unknown): string[] {
  if (typeof mapped !== 'object' || mapped === null) return [];
  return ['name', 'code'].flatMap((field) => {
    const value = (mapped as Record<string, unknown>)[field];
    return typeof value === 'string' ? [value.toLowerCase()] : [];
  });
}

/** The decimals a currency is written with (USD 2, JPY 0); a code not in ISO 4217 is refused. */
function decimalsOf(currency: string): number {
  const decimals = currencyDecimals(currency);
  if (decimals === undefined)
    throw new UsageError(
      `--currency ${JSON.stringify(currency.slice(0, 40))} is not an ISO 4217 currency code such as USD or EUR`,
    );
  return decimals;
}
