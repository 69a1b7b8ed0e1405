import { isCalendarDate } from '../../src/calendar/index.js';
import { divideHalfEven, formatCents, parseScaled } from '../../src/money/index.js';
import { readCents } from '../fake-kit/index.js';
import { isJsonNumberLiteral, JsonNumber } from '../json-text.js';
import { accountClass } from './render.js';

/**
 * What Xero checks on a ManualJournal before it keeps it, as a pure function
 * of the element and the organisation's settings. Texts that Xero is known to
 * send are reproduced exactly (the balance message, the removed-account
 * warning, the lock-date messages, the unknown tax type); the others are the
 * fake's own wording, and clients should not match on them.
 */

export const XERO_JOURNAL_STATUSES = ['DRAFT', 'POSTED', 'DELETED', 'VOIDED', 'ARCHIVED'] as const;
export type XeroJournalStatus = (typeof XERO_JOURNAL_STATUSES)[number];
/** The statuses a journal can be created or updated into through the API. */
export type XeroWritableStatus = Extract<XeroJournalStatus, 'DRAFT' | 'POSTED'>;

export const XERO_LINE_AMOUNT_TYPES = ['Exclusive', 'Inclusive', 'NoTax'] as const;
export type XeroLineAmountTypes = (typeof XERO_LINE_AMOUNT_TYPES)[number];

export const XERO_ACCOUNT_STATUSES = ['ACTIVE', 'ARCHIVED'] as const;
export type XeroAccountStatus = (typeof XERO_ACCOUNT_STATUSES)[number];

export interface XeroFakeAccount {
  code: string;
  name: string;
  /** Xero account type: BANK, CURRENT, CURRLIAB, EQUITY, EXPENSE, REVENUE, … */
  type: string;
  status: XeroAccountStatus;
  /** The tax type lines on this account get when they name none. */
  taxType: string;
  /** Xero's SystemAccount (DEBTORS, CREDITORS, ROUNDING, …) when it is one. */
  systemAccount?: string;
}

export interface XeroFakeTaxRate {
  taxType: string;
  name: string;
  /** The effective rate in percent as decimal text ("15", "12.5"); none is 0 %. */
  rate?: string;
  /** The rate Xero shows (DisplayTaxRate) when it differs from the effective one: a reverse charge's 20 %. */
  displayRate?: string;
  /** Account classes (ASSET, EQUITY, EXPENSE, LIABILITY, REVENUE) it can be used on; every class unless given. */
  canApplyTo?: readonly string[];
  /** ACTIVE unless given; a DELETED or ARCHIVED rate is listed but refused on a line. */
  status?: 'ACTIVE' | 'DELETED' | 'ARCHIVED';
  /** ReportTaxType (UK, AU, NZ); the TaxType unless given. */
  reportTaxType?: string;
  /** TaxComponents; one component at the effective rate unless given. */
  components?: readonly { name: string; rate: string }[];
}

export interface XeroTrackingChoice {
  name: string;
  option: string;
}

export interface XeroJournalLine {
  accountCode: string;
  description: string | undefined;
  taxType: string;
  /** Signed cents as sent: positive debit, negative credit. */
  cents: bigint;
  /** The tax Xero works out for the line at its TaxType's rate, signed like the line (0 under NoTax). */
  taxCents: bigint;
  tracking: readonly XeroTrackingChoice[];
}

/** A journal that passed every check, ready to be stored. */
export interface XeroJournalDraft {
  /** Present when a POST names the journal it updates. */
  manualJournalId: string | undefined;
  narration: string;
  date: string;
  status: XeroWritableStatus;
  lineAmountTypes: XeroLineAmountTypes;
  showOnCashBasisReports: boolean;
  url: string | undefined;
  lines: readonly XeroJournalLine[];
}

export interface XeroJournalRules {
  accounts: readonly XeroFakeAccount[];
  taxRates: readonly XeroFakeTaxRate[];
  periodLockDate: string | undefined;
  endOfYearLockDate: string | undefined;
  /** The organisation's date today, used when a journal has no Date. */
  today: string;
}

export interface XeroJournalCheck {
  /** Undefined when `errors` is not empty. */
  draft: XeroJournalDraft | undefined;
  errors: readonly string[];
  warnings: readonly string[];
  /** The element as Xero echoes it back beside its errors. */
  echo: Record<string, unknown>;
}

/** The request as a whole cannot be read (bad date, unknown enum value): Xero's ErrorNumber 14. */
export class XeroPostDataInvalid extends Error {
  override readonly name = 'XeroPostDataInvalid';
}

const MAX_TRACKING_CATEGORIES = 2;
const MAX_TRACKING_TEXT = 100;

/**
 * Checks one element of a ManualJournals request. `path` names it in
 * PostDataInvalid messages ("ManualJournals[0]").
 *
 * Worked example, lines +100.00 on 400 and −10.00 on 200: debits 100.00,
 * credits −10.00, so the error is "The total debits (100.00) must equal total
 * credits (-10.00)". A line on an unknown code is dropped with a warning before
 * the totals are taken, which is how Xero arrives at that very message.
 *
 * Tax (XOAS LineAmountTypes; a missing value is Exclusive, as the spec's
 * generic text says): each line's tax is worked out on its own at its
 * TaxType's rate, to the cent, half-even. Exclusive adds it on top: +100.00 at
 * 15 % carries 15.00 of tax, and the journal balances only when the lines
 * plus their tax do (+100.00 and −100.00 on untaxed accounts do not: debits
 * 115.00). Inclusive takes it out of the amount: +115.00 at 15 % holds 15.00.
 */
export function checkManualJournal(element: unknown, path: string, rules: XeroJournalRules): XeroJournalCheck {
  if (!isObject(element)) throw new XeroPostDataInvalid(`JSON for post data was invalid, ${path} is not an object.`);
  const errors: string[] = [];
  const warnings: string[] = [];

  const narration = typeof element.Narration === 'string' ? element.Narration.trim() : '';
  if (narration === '') errors.push('Narration is mandatory for a manual journal.');

  const date =
    element.Date === undefined || element.Date === null ? rules.today : readDate(element.Date, `${path}.Date`);
  const status = readEnum(element.Status, XERO_JOURNAL_STATUSES, `${path}.Status`) ?? 'DRAFT';
  if (status !== 'DRAFT' && status !== 'POSTED')
    errors.push(`A manual journal cannot be created or updated with the status ${status}.`);
  const lineAmountTypes =
    readEnum(element.LineAmountTypes, XERO_LINE_AMOUNT_TYPES, `${path}.LineAmountTypes`) ?? 'Exclusive';

  const rawLines = Array.isArray(element.JournalLines) ? element.JournalLines : [];
  const lines: XeroJournalLine[] = [];
  rawLines.forEach((rawLine, index) => {
    const line = checkLine(rawLine, index, lineAmountTypes, rules, errors, warnings);
    if (line) lines.push(line);
  });
  if (lines.length === 0) errors.push('A manual journal must have journal lines.');

  // Exclusive amounts leave the tax out, so it is added to each line's side before the totals are compared.
  const gross = (line: XeroJournalLine): bigint =>
    lineAmountTypes === 'Exclusive' ? line.cents + line.taxCents : line.cents;
  const debits = lines.reduce((total, line) => (line.cents > 0n ? total + gross(line) : total), 0n);
  const credits = lines.reduce((total, line) => (line.cents < 0n ? total + gross(line) : total), 0n);
  if (debits + credits !== 0n) {
    errors.push(`The total debits (${formatCents(debits)}) must equal total credits (${formatCents(credits)})`);
  }

  // Only a posted journal touches the ledger; a draft may sit in a locked period.
  if (status === 'POSTED') errors.push(...lockDateRefusals(date, rules));

  const showOnCashBasisReports = element.ShowOnCashBasisReports !== false && element.ShowOnCashBasisReports !== 'false';
  const url = typeof element.Url === 'string' && element.Url !== '' ? element.Url : undefined;
  const manualJournalId =
    typeof element.ManualJournalID === 'string' && element.ManualJournalID !== '' ? element.ManualJournalID : undefined;
  const echo = echoElement(element, date, status, lineAmountTypes);
  const draft =
    errors.length === 0 && (status === 'DRAFT' || status === 'POSTED')
      ? { manualJournalId, narration, date, status, lineAmountTypes, showOnCashBasisReports, url, lines }
      : undefined;
  return { draft, errors, warnings, echo };
}

function checkLine(
  rawLine: unknown,
  index: number,
  lineAmountTypes: XeroLineAmountTypes,
  rules: XeroJournalRules,
  errors: string[],
  warnings: string[],
): XeroJournalLine | undefined {
  const position = index + 1;
  if (!isObject(rawLine)) {
    errors.push(`Journal line ${position} is not an object.`);
    return undefined;
  }
  const code = typeof rawLine.AccountCode === 'string' ? rawLine.AccountCode : undefined;
  if (code === undefined || code === '') {
    errors.push(`Journal line ${position} has no AccountCode.`);
    return undefined;
  }
  const account = rules.accounts.find((candidate) => candidate.code === code && candidate.status === 'ACTIVE');
  if (!account) {
    warnings.push(`Account code '${code}' has been removed as it does not match a recognised account.`);
    return undefined;
  }
  // Xero keeps a bank account's money to what its bank transactions, transfers and reconciliations say: a manual
  // journal line on one is refused. The wording is a reply Xero returned to a journal on 090, as a third-party
  // integration's tests keep it.
  if (account.type === 'BANK') errors.push(`You cannot use a bank account in a manual journal. Account code: ${code}`);

  const amount = readCents(rawLine.LineAmount);
  if (!amount.ok) {
    errors.push(
      amount.problem === 'too-many-decimals'
        ? `Journal line ${position}: LineAmount ${String(rawLine.LineAmount)} has more than 2 decimal places.`
        : `Journal line ${position}: LineAmount must be a number.`,
    );
    return undefined;
  }

  let taxType = lineAmountTypes === 'NoTax' ? 'NONE' : account.taxType;
  if (typeof rawLine.TaxType === 'string' && rawLine.TaxType !== '') {
    taxType = rawLine.TaxType;
    errors.push(...taxTypeRefusals(taxType, account, rules.taxRates));
  }

  const tracking = readTracking(rawLine.Tracking, position, errors);
  const description = typeof rawLine.Description === 'string' ? rawLine.Description : undefined;
  const rate = rules.taxRates.find((candidate) => candidate.taxType === taxType)?.rate;
  const taxCents =
    lineAmountTypes === 'NoTax' || rate === undefined
      ? 0n
      : lineTax(amount.cents, parseScaled(rate, RATE_SCALE), lineAmountTypes);
  return { accountCode: code, description, taxType, cents: amount.cents, taxCents, tracking };
}

/**
 * Xero's refusals of a line's TaxType (texts as Xero-Java issue 336 quotes them; codes compared case-sensitively):
 * one it does not have, or has deleted or archived, "does not exist or cannot be used for this type of
 * transaction"; one whose CanApplyTo flags leave out the account's class "cannot be used with account code".
 */
export function taxTypeRefusals(
  taxType: string,
  account: XeroFakeAccount,
  taxRates: readonly XeroFakeTaxRate[],
): string[] {
  const rate = taxRates.find((candidate) => candidate.taxType === taxType);
  if (rate === undefined || (rate.status ?? 'ACTIVE') !== 'ACTIVE')
    return [`The TaxType code ${taxType} does not exist or cannot be used for this type of transaction.`];
  if (rate.canApplyTo !== undefined && !rate.canApplyTo.includes(accountClass(account.type)))
    return [`The TaxType code '${taxType}' cannot be used with account code '${account.code}'.`];
  return [];
}

/** Rates are read to four decimals of a percent ("12.5" → 125000n). */
const RATE_SCALE = 4;
const HUNDRED_PERCENT = 100n * 10n ** BigInt(RATE_SCALE);

/**
 * One line's tax in cents, half-even: Exclusive 100.00 at 15 % → 15.00 (amount × rate);
 * Inclusive 115.00 at 15 % → 15.00 (amount × rate ÷ (100 % + rate)).
 */
export function lineTax(cents: bigint, rate: bigint, lineAmountTypes: Exclude<XeroLineAmountTypes, 'NoTax'>): bigint {
  return lineAmountTypes === 'Exclusive'
    ? divideHalfEven(cents * rate, HUNDRED_PERCENT)
    : divideHalfEven(cents * rate, HUNDRED_PERCENT + rate);
}

function readTracking(raw: unknown, position: number, errors: string[]): XeroTrackingChoice[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    errors.push(`Journal line ${position}: Tracking must be a list.`);
    return [];
  }
  if (raw.length > MAX_TRACKING_CATEGORIES) {
    errors.push(`Journal line ${position}: no more than ${MAX_TRACKING_CATEGORIES} tracking categories can be used.`);
  }
  const choices: XeroTrackingChoice[] = [];
  for (const item of raw) {
    const name = isObject(item) && typeof item.Name === 'string' ? item.Name : '';
    const option = isObject(item) && typeof item.Option === 'string' ? item.Option : '';
    if (name === '' || option === '') {
      errors.push(`Journal line ${position}: each tracking entry needs a Name and an Option.`);
    } else if (name.length > MAX_TRACKING_TEXT || option.length > MAX_TRACKING_TEXT) {
      errors.push(
        `Journal line ${position}: tracking names and options are limited to ${MAX_TRACKING_TEXT} characters.`,
      );
    } else {
      choices.push({ name, option });
    }
  }
  return choices;
}

/** "YYYY-MM-DD", optionally with a time part as some clients send it; anything else fails the whole request. */
function readDate(value: unknown, path: string): string {
  const date = typeof value === 'string' ? /^(\d{4}-\d{2}-\d{2})(?:T[\d:.]+)?$/.exec(value)?.[1] : undefined;
  if (date !== undefined && isCalendarDate(date)) return date;
  throw new XeroPostDataInvalid(
    `JSON for post data was invalid,Could not convert string to DateTime: ${String(value)}. Path '${path}'.`,
  );
}

function readEnum<T extends string>(value: unknown, allowed: readonly T[], path: string): T | undefined {
  if (value === undefined || value === null) return undefined;
  const found = allowed.find(
    (candidate) => typeof value === 'string' && candidate.toLowerCase() === value.toLowerCase(),
  );
  if (!found)
    throw new XeroPostDataInvalid(
      `JSON for post data was invalid,Requested value '${String(value)}' was not found. Path '${path}'.`,
    );
  return found;
}

/** Xero's refusals of a document dated on or before a lock date (a posted journal, a bank transfer or transaction). */
export function lockDateRefusals(
  date: string,
  locks: { periodLockDate: string | undefined; endOfYearLockDate: string | undefined },
): string[] {
  const refusals: string[] = [];
  if (locks.periodLockDate !== undefined && date <= locks.periodLockDate)
    refusals.push(
      `The document date cannot be before the period lock date, currently set at ${lockDateText(locks.periodLockDate)}`,
    );
  if (locks.endOfYearLockDate !== undefined && date <= locks.endOfYearLockDate) {
    refusals.push(
      `The document date cannot be before the end of year lock date, currently set at ${lockDateText(locks.endOfYearLockDate)}`,
    );
  }
  return refusals;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Xero writes lock dates in its messages as "30-Nov-2018". */
export function lockDateText(date: string): string {
  const [year, month, day] = date.split('-');
  return `${day}-${MONTHS[Number(month) - 1] ?? month}-${year}`;
}

/** "2024-01-31" → "/Date(1706659200000+0000)/", the MS-JSON form Xero uses for dates. */
export function msDate(date: string): string {
  const [year, month, day] = date.split('-').map((part) => Number(part));
  return msDateTime(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1));
}

export function msDateTime(epochMs: number): string {
  return `/Date(${epochMs}+0000)/`;
}

/** UTC midnight of a "YYYY-MM-DD" date, for `where` comparisons with DateTime(…). */
export function dateEpochMs(date: string): number {
  const [year, month, day] = date.split('-').map((part) => Number(part));
  return Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1);
}

function echoElement(
  element: Record<string, unknown>,
  date: string,
  status: XeroJournalStatus,
  lineAmountTypes: XeroLineAmountTypes,
): Record<string, unknown> {
  const lines = Array.isArray(element.JournalLines) ? element.JournalLines : [];
  return {
    Narration: typeof element.Narration === 'string' ? element.Narration : undefined,
    Date: msDate(date),
    Status: status,
    LineAmountTypes: lineAmountTypes,
    JournalLines: lines.filter(isObject).map((line) => ({
      LineAmount:
        typeof line.LineAmount === 'string' && isJsonNumberLiteral(line.LineAmount)
          ? new JsonNumber(line.LineAmount)
          : line.LineAmount,
      AccountCode: line.AccountCode,
      Description: line.Description,
      TaxType: line.TaxType,
      Tracking: line.Tracking,
    })),
    ShowOnCashBasisReports: element.ShowOnCashBasisReports !== false,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
