import { z } from 'zod';
import { configFields, type ConfiguredSource, type EntryPlacement } from '../../config/index.js';
import { parseMicros } from '../../money/index.js';
import { EXPORT_DATE_FORMATS, type ExportDateFormat } from '../../rules/index.js';

const { sourceId, currencyCode, text, wholeNumber, accountKey } = configFields;

/** The word a bank account's entry names under sources: (`kind: bank-statement`). */
export const BANK_STATEMENT_KIND = 'bank-statement';

/** How a CSV statement's dates are written: the layouts the exports write ("02 Nov 2026": Nationwide), and DD.MM.YYYY (German and Swiss banks). */
export type CsvDateFormat = ExportDateFormat | 'DD.MM.YYYY';
const CSV_DATE_FORMATS: CsvDateFormat[] = [...EXPORT_DATE_FORMATS, 'DD.MM.YYYY'];

/**
 * A CSV statement's columns by their header names. `amount` is signed (money in positive), or `credit` and
 * `debit` are two unsigned columns; `id` is the bank's own line id when the export has one (else each line
 * is known by a hash of its content); `balance` the account's balance after each line, when the export has it
 * (its first line's gives the account's opening).
 */
const csvColumns = () =>
  z
    .strictObject({
      date: text,
      amount: text.optional(),
      credit: text.optional(),
      debit: text.optional(),
      reference: text,
      description: text.optional(),
      id: text.optional(),
      currency: text.optional(),
      balance: text.optional(),
      dateFormat: z.enum(CSV_DATE_FORMATS as [CsvDateFormat, ...CsvDateFormat[]]).default('YYYY-MM-DD'),
      decimalComma: z.boolean().default(false),
      delimiter: z.string().length(1).default(','),
    })
    .refine(
      (map) => (map.amount === undefined) !== (map.credit === undefined && map.debit === undefined),
      'name either amount (one signed column) or credit and debit (two columns)',
    );

const decimal = () =>
  z.string().refine((value) => {
    try {
      return parseMicros(value) >= 0n;
    } catch {
      return false;
    }
  }, 'must be a decimal amount such as "5.00"');

/** A regular expression as written in the file: one that does not compile is refused where it stands. */
const pattern = () =>
  z
    .string()
    .min(1)
    .refine((value) => {
      try {
        new RegExp(value, 'i');
        return true;
      } catch {
        return false;
      }
    }, 'must be a regular expression such as "PAYPAL|PAYELANCER"');

/**
 * What a bank line must be to settle a payout or a top-up. alertDays: business days after the day a payout
 * was sent or a top-up seen before it is late (per source in `alertDaysBySource`); windowDays: calendar days a
 * bank line may arrive after it; tolerance: how far a line's amount may be off (a fee withheld) and still
 * be the item's, which makes the item `differs`; match: per source id, the words the bank writes on that source's
 * lines (a case-insensitive regular expression), where the source kind's own default is not what this bank writes.
 */
const transitSetting = () =>
  z.strictObject({
    alertDays: wholeNumber(1, 90).default(5),
    alertDaysBySource: z.record(sourceId, wholeNumber(1, 90)).default({}),
    windowDays: wholeNumber(1, 90).default(10),
    tolerance: decimal().default('25.00'),
    match: z.record(sourceId, pattern()).default({}),
  });

/** The chart's account a statement source's bank legs book to when its entry names none: `bank` (Bank) in the default chart. */
const DEFAULT_BANK_LEDGER_ACCOUNT = 'bank';
/** The chart's equity account a bank account's opening balance is credited to when its entry names none. */
const DEFAULT_OPENING_EQUITY = 'opening_balance_equity';

/**
 * A bank account's entry under `sources:` as written: its statements arrive by `ledgerline bank import`, not by
 * the nightly close. `ledgerAccount` is the chart's asset account its lines move money to and from (the bank leg);
 * `openingEquity` the equity account its first statement's opening balance is credited to.
 * Built when first asked for (a file checked), then kept: a command whose file's check was kept
 * (config/checked-cache.ts) builds none of it.
 */
export function bankStatementSourceEntry() {
  entrySchema ??= entrySchemaBuilt();
  return entrySchema;
}
let entrySchema: ReturnType<typeof entrySchemaBuilt> | undefined;

const entrySchemaBuilt = () =>
  z.strictObject({
    id: sourceId,
    kind: z.literal(BANK_STATEMENT_KIND),
    ledgerAccount: accountKey.default(DEFAULT_BANK_LEDGER_ACCOUNT),
    openingEquity: accountKey.default(DEFAULT_OPENING_EQUITY),
    currency: currencyCode.optional(),
    /** The account's number as its statements write it (an IBAN, an OFX ACCTID): a statement naming another is refused. */
    accountNumber: text.optional(),
    csv: csvColumns().optional(),
    transit: transitSetting().prefault({}),
  });

/** The entry made ready to use: its currency (the top level's when it names none) and its tolerance in micro-units. */
export function resolveBankStatementSource(
  entry: z.output<ReturnType<typeof bankStatementSourceEntry>>,
  placement: EntryPlacement,
) {
  const { tolerance, ...transit } = entry.transit;
  return {
    ...entry,
    currency: entry.currency ?? placement.topLevel.currency,
    transit: { ...transit, toleranceMicros: parseMicros(tolerance) },
  };
}

export type BankStatementSourceConfig = ReturnType<typeof resolveBankStatementSource>;
export type CsvColumnMap = NonNullable<BankStatementSourceConfig['csv']>;

function isBankStatementSource(source: ConfiguredSource): source is BankStatementSourceConfig {
  return source.kind === BANK_STATEMENT_KIND;
}

/** A configured source as a bank account's: the registry hands this kind only the sources that name it. */
export function asBankStatementSource(source: ConfiguredSource): BankStatementSourceConfig {
  if (!isBankStatementSource(source))
    throw new Error(`source ${source.id} of kind ${source.kind} was handed to the bank statement's kind`);
  return source;
}
