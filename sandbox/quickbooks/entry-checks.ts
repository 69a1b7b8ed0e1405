import { isCalendarDate } from '../../src/calendar/index.js';
import { formatCents } from '../../src/money/index.js';
import { readCents } from '../fake-kit/index.js';
import { checkLineEntity, type QuickBooksLineEntity } from './organisation.js';
import {
  checkLineTax,
  readGlobalTaxCalculation,
  type QuickBooksGlobalTaxCalculation,
  type QuickBooksLineTax,
  type QuickBooksTaxRules,
} from './tax-codes.js';

/**
 * What QuickBooks Online checks on a JournalEntry before it keeps it, as a
 * pure function of the body and the company's settings. Codes follow Intuit's
 * error table (2010 unsupported property, 2020 required parameter, 2050 string
 * length, 2500 invalid reference, 6140 duplicate number, 6210 closed period);
 * the texts Intuit is known to send are reproduced exactly (2050 for DocNumber,
 * 2500 for accounts, 6140, 6210), the rest are close to Intuit's table and
 * clients should match on the code.
 */

export const QUICKBOOKS_POSTING_TYPES = ['Debit', 'Credit'] as const;
export type QuickBooksPostingType = (typeof QUICKBOOKS_POSTING_TYPES)[number];

export const QUICKBOOKS_ACCOUNT_CLASSIFICATIONS = ['Asset', 'Liability', 'Equity', 'Revenue', 'Expense'] as const;
export type QuickBooksAccountClassification = (typeof QUICKBOOKS_ACCOUNT_CLASSIFICATIONS)[number];

export interface QuickBooksFakeAccount {
  id: string;
  name: string;
  /** QuickBooks AccountType: "Bank", "Other Current Asset", "Income", "Expense", "Equity", … */
  accountType: string;
  accountSubType: string;
  classification: QuickBooksAccountClassification;
  active: boolean;
}

/** A class or a department (QuickBooks "Location"). */
export interface QuickBooksFakeListItem {
  id: string;
  name: string;
}

export interface IntuitFaultError {
  Message: string;
  Detail: string;
  code: string;
  element?: string;
}

export const QUICKBOOKS_FAULT_TYPES = [
  'ValidationFault',
  'SystemFault',
  'AuthenticationFault',
  'AuthorizationFault',
  'SERVICE',
] as const;
export type QuickBooksFaultType = (typeof QUICKBOOKS_FAULT_TYPES)[number];

/**
 * A Fault as Intuit sends it, in the vendor's own shape since the fake plays the vendor; ledgerline's client reads
 * the same body as `QuickbooksFault` (src/destinations/quickbooks/quickbooks-wire.ts). Not `QuickBooksFakeFault`,
 * which is a failure a test injects.
 */
export interface IntuitFault {
  type: QuickBooksFaultType;
  Error: readonly IntuitFaultError[];
}

export interface QuickBooksEntryLine {
  description: string | undefined;
  /** Positive cents; the side is `postingType`. */
  cents: bigint;
  postingType: QuickBooksPostingType;
  accountId: string;
  classId: string | undefined;
  departmentId: string | undefined;
  /** The Customer or Vendor the line names (JournalEntryLineDetail.Entity). */
  entity: QuickBooksLineEntity | undefined;
  /** The line's TaxCodeRef, TaxApplicableOn and the tax the company computes on it; undefined without a code. */
  tax: QuickBooksLineTax | undefined;
}

/** A JournalEntry that passed every check, ready to be stored. */
export interface QuickBooksEntryDraft {
  docNumber: string | undefined;
  txnDate: string;
  privateNote: string | undefined;
  currency: string;
  /** Home-currency units per foreign unit as sent ("1.0825"); undefined in the home currency. */
  exchangeRate: string | undefined;
  /** GlobalTaxCalculation as sent; undefined when the body left it out (its render then leaves it out too). */
  globalTaxCalculation: QuickBooksGlobalTaxCalculation | undefined;
  lines: readonly QuickBooksEntryLine[];
}

export interface QuickBooksEntryRules extends QuickBooksTaxRules {
  accounts: readonly QuickBooksFakeAccount[];
  classes: readonly QuickBooksFakeListItem[];
  departments: readonly QuickBooksFakeListItem[];
  customers: readonly QuickBooksFakeListItem[];
  vendors: readonly QuickBooksFakeListItem[];
  homeCurrency: string;
  /** Foreign currencies are taken (with an ExchangeRate) only when multicurrency is on. */
  multiCurrency: boolean;
  bookCloseDate: string | undefined;
  /** The company's date today, used when TxnDate is left out. */
  today: string;
  /** The Id of a stored entry already carrying this DocNumber, when duplicates are refused. */
  docNumberOwner(docNumber: string): string | undefined;
}

export type QuickBooksEntryCheck =
  | { ok: true; draft: QuickBooksEntryDraft }
  /** `closedBooks` marks the one refusal QuickBooks sometimes sends inside an HTTP 200. */
  | { ok: false; fault: IntuitFault; closedBooks: boolean };

export const QUICKBOOKS_DOC_NUMBER_MAX = 21;

const ENTRY_FIELDS = new Set([
  'Id',
  'SyncToken',
  'domain',
  'sparse',
  'MetaData',
  'DocNumber',
  'TxnDate',
  'PrivateNote',
  'CurrencyRef',
  'ExchangeRate',
  'Line',
  'Adjustment',
  'TxnTaxDetail',
  'TotalAmt',
  'HomeCurrencyAdjustment',
  'EnteredInHomeCurrency',
  'GlobalTaxCalculation',
  'JournalCodeRef',
  'TransactionLocationType',
  'RecurDataRef',
]);
const LINE_FIELDS = new Set([
  'Id',
  'LineNum',
  'Description',
  'Amount',
  'DetailType',
  'JournalEntryLineDetail',
  'LinkedTxn',
  'ProjectRef',
]);
const DETAIL_FIELDS = new Set([
  'PostingType',
  'Entity',
  'AccountRef',
  'ClassRef',
  'DepartmentRef',
  'TaxCodeRef',
  'TaxApplicableOn',
  'TaxAmount',
  'TaxInclusiveAmt',
  'BillableStatus',
  'JournalCodeRef',
]);
const REF_FIELDS = new Set(['value', 'name', 'type']);

const CLOSED_BOOKS: IntuitFaultError = {
  Message: 'Account Period Closed, Cannot Update Through Services API',
  Detail:
    'The account period has closed and the account books cannot be updated through the QBO Services API. Please use the QBO website to make these changes.',
  code: '6210',
};

/**
 * Checks one JournalEntry create body.
 *
 * Worked example: Debit 100.00 on account 11 and Credit 90.00 on account 1
 * is refused with 2300 (debits 100.00 ≠ credits 90.00); Debit 100.005 is
 * refused with 2110 before any total is taken, since cents cannot hold it.
 */
export function checkJournalEntry(body: unknown, rules: QuickBooksEntryRules): QuickBooksEntryCheck {
  if (!isObject(body)) return refuse([unsupported('the body is not a JournalEntry object', 'JournalEntry')]);
  const errors: IntuitFaultError[] = [];
  unknownFields(body, ENTRY_FIELDS, 'JournalEntry', errors);

  let docNumber: string | undefined;
  if (body.DocNumber !== undefined && body.DocNumber !== null) {
    docNumber = String(body.DocNumber);
    if (docNumber.length > QUICKBOOKS_DOC_NUMBER_MAX) {
      errors.push({
        Message: 'String length is either shorter or longer than supported by specification',
        Detail: `String length specified does not match the supported length. Min:0 Max:${QUICKBOOKS_DOC_NUMBER_MAX} supported. Supplied length:${docNumber.length}`,
        code: '2050',
        element: 'DocNumber',
      });
    }
  }

  const txnDate = body.TxnDate === undefined || body.TxnDate === null ? rules.today : readDate(body.TxnDate);
  if (txnDate === undefined)
    errors.push(unsupported(`TxnDate ${JSON.stringify(body.TxnDate)} is not a date (YYYY-MM-DD)`, 'TxnDate'));

  const currency = readCurrency(body.CurrencyRef, rules, errors);
  const exchangeRate = currency === rules.homeCurrency ? undefined : readExchangeRate(body.ExchangeRate, errors);
  const privateNote = typeof body.PrivateNote === 'string' ? body.PrivateNote : undefined;

  const globalTaxCalculation = readGlobalTaxCalculation(body.GlobalTaxCalculation, errors);
  const rawLines = Array.isArray(body.Line) ? body.Line : [];
  if (rawLines.length === 0)
    errors.push({
      Message: 'Missing lines',
      Detail: 'You must enter at least one split line.',
      code: '2250',
      element: 'Line',
    });
  const lines = rawLines.flatMap(
    (rawLine, index) => checkLine(rawLine, index, { ...rules, globalTaxCalculation }, errors) ?? [],
  );
  if (errors.length > 0 || txnDate === undefined) return refuse(errors);

  const debits = lines.reduce((total, line) => (line.postingType === 'Debit' ? total + line.cents : total), 0n);
  const credits = lines.reduce((total, line) => (line.postingType === 'Credit' ? total + line.cents : total), 0n);
  if (debits !== credits) {
    return refuse([
      {
        Message: 'Amount on debits not equal to credits',
        Detail: `A journal entry you created or updated unbalanced an account. Balance the debits and credits for the account. Debits: ${formatCents(debits)}, Credits: ${formatCents(credits)}.`,
        code: '2300',
      },
    ]);
  }
  if (rules.bookCloseDate !== undefined && txnDate <= rules.bookCloseDate) {
    return { ok: false, fault: { type: 'ValidationFault', Error: [CLOSED_BOOKS] }, closedBooks: true };
  }
  const owner = docNumber === undefined ? undefined : rules.docNumberOwner(docNumber);
  if (docNumber !== undefined && owner !== undefined) {
    return refuse([
      {
        Message: 'Duplicate Document Number Error',
        Detail: `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${docNumber} is assigned to TxnType=Journal Entry with TxnId=${owner}`,
        code: '6140',
        element: '',
      },
    ]);
  }
  const sentCalculation =
    body.GlobalTaxCalculation === undefined || body.GlobalTaxCalculation === null ? undefined : globalTaxCalculation;
  return {
    ok: true,
    draft: { docNumber, txnDate, privateNote, currency, exchangeRate, globalTaxCalculation: sentCalculation, lines },
  };
}

function checkLine(
  rawLine: unknown,
  index: number,
  rules: QuickBooksEntryRules & { globalTaxCalculation: QuickBooksGlobalTaxCalculation },
  errors: IntuitFaultError[],
): QuickBooksEntryLine | undefined {
  const where = `Line[${index}]`;
  if (!isObject(rawLine)) {
    errors.push(unsupported(`${where} is not an object`, 'Line'));
    return undefined;
  }
  unknownFields(rawLine, LINE_FIELDS, 'Line', errors);
  if (rawLine.DetailType !== 'JournalEntryLineDetail') {
    errors.push({
      Message: 'Invalid Enumeration',
      Detail: `Invalid Enumeration : ${String(rawLine.DetailType)}`,
      code: '2170',
      element: 'DetailType',
    });
    return undefined;
  }
  const detail = rawLine.JournalEntryLineDetail;
  if (!isObject(detail)) {
    errors.push(missing('Line.JournalEntryLineDetail'));
    return undefined;
  }
  unknownFields(detail, DETAIL_FIELDS, 'JournalEntryLineDetail', errors);

  const postingType = detail.PostingType;
  if (postingType === undefined || postingType === null) {
    errors.push({
      Message: 'MissingPostingType',
      Detail: 'A posting type is required. Valid values are Credit or Debit.',
      code: '2260',
      element: 'PostingType',
    });
    return undefined;
  }
  if (postingType !== 'Debit' && postingType !== 'Credit') {
    errors.push({
      Message: 'Invalid Enumeration',
      Detail: `Invalid Enumeration : ${String(postingType)}`,
      code: '2170',
      element: 'PostingType',
    });
    return undefined;
  }

  const cents = readAmount(rawLine.Amount, errors);
  const activeAccounts = rules.accounts.filter((account) => account.active);
  const accountId = readRef(
    detail.AccountRef,
    'Line.JournalEntryLineDetail.AccountRef',
    'Accounts',
    activeAccounts,
    errors,
  );
  const classId =
    detail.ClassRef === undefined ? undefined : readRef(detail.ClassRef, 'ClassRef', 'Klasses', rules.classes, errors);
  const departmentId =
    detail.DepartmentRef === undefined
      ? undefined
      : readRef(detail.DepartmentRef, 'DepartmentRef', 'Depts', rules.departments, errors);
  const account = activeAccounts.find((candidate) => candidate.id === accountId);
  const entity = checkLineEntity(detail.Entity, account, rules, errors);
  if (cents === undefined || accountId === undefined) return undefined;
  const tax = checkLineTax(
    detail,
    { cents, classification: account?.classification },
    rules.globalTaxCalculation,
    rules,
    errors,
  );
  const description = typeof rawLine.Description === 'string' ? rawLine.Description : undefined;
  return { description, cents, postingType, accountId, classId, departmentId, entity, tax };
}

function readAmount(value: unknown, errors: IntuitFaultError[]): bigint | undefined {
  if (value === undefined || value === null) {
    errors.push(missing('Line.Amount'));
    return undefined;
  }
  const amount = readCents(value);
  if (!amount.ok) {
    errors.push(
      amount.problem === 'too-many-decimals'
        ? {
            Message: 'Invalid Decimal',
            Detail: `The decimal supplied may be the correct format, but the value isn't supported by the API. Supplied value: ${String(value)}`,
            code: '2110',
            element: 'Amount',
          }
        : {
            Message: 'Invalid Decimal Format',
            Detail: `The decimal format isn't valid. Supplied value: ${String(value)}`,
            code: '2100',
            element: 'Amount',
          },
    );
    return undefined;
  }
  if (amount.cents < 0n) {
    errors.push({
      Message: 'NegativeAmount',
      Detail: `Negative amounts aren't supported on transaction lines. Supplied value: ${String(value)}`,
      code: '2290',
      element: 'Amount',
    });
    return undefined;
  }
  return amount.cents;
}

/** An `{value}` reference to an existing item; QuickBooks names the list in its detail ("Accounts", "Klasses", "Depts"). */
function readRef(
  ref: unknown,
  path: string,
  listName: string,
  items: readonly { id: string }[],
  errors: IntuitFaultError[],
): string | undefined {
  if (!isObject(ref) || ref.value === undefined || ref.value === null || ref.value === '') {
    errors.push(missing(path));
    return undefined;
  }
  unknownFields(ref, REF_FIELDS, path, errors);
  const id = String(ref.value);
  if (!items.some((item) => item.id === id)) {
    errors.push({
      Message: 'Invalid Reference Id',
      Detail: `Invalid Reference Id : ${listName} element id ${id} not found`,
      code: '2500',
      element: '',
    });
    return undefined;
  }
  return id;
}

function readCurrency(ref: unknown, rules: QuickBooksEntryRules, errors: IntuitFaultError[]): string {
  const { homeCurrency } = rules;
  if (ref === undefined || ref === null) return homeCurrency;
  if (!isObject(ref) || typeof ref.value !== 'string') {
    errors.push(missing('CurrencyRef.value'));
    return homeCurrency;
  }
  if (ref.value !== homeCurrency && !rules.multiCurrency) {
    errors.push({
      Message: 'A business validation error has occurred while processing your request',
      Detail: `Business Validation Error: multicurrency is off in this company, so transactions are in ${homeCurrency} only (got ${ref.value}).`,
      code: '6000',
      element: 'CurrencyRef',
    });
  }
  return ref.value;
}

/** A positive decimal (JSON number text); QuickBooks would use its own rate when none is sent, which the fake does not know, so it asks for one. */
function readExchangeRate(value: unknown, errors: IntuitFaultError[]): string | undefined {
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) && /[1-9]/.test(value)) return value;
  errors.push(
    value === undefined || value === null
      ? missing('ExchangeRate')
      : {
          Message: 'Invalid Decimal Format',
          Detail: `The decimal format isn't valid. Supplied value: ${String(value)}`,
          code: '2100',
          element: 'ExchangeRate',
        },
  );
  return undefined;
}

function readDate(value: unknown): string | undefined {
  return typeof value === 'string' && isCalendarDate(value) ? value : undefined;
}

function unknownFields(
  object: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  className: string,
  errors: IntuitFaultError[],
): void {
  for (const key of Object.keys(object)) {
    if (!allowed.has(key)) {
      errors.push(
        unsupported(
          `Unrecognized field "${key}" (class com.intuit.schema.finance.v3.${className.replace(/\W.*$/, '')}), not marked as ignorable`,
          key,
        ),
      );
    }
  }
}

function unsupported(what: string, element: string): IntuitFaultError {
  return {
    Message: 'Request has invalid or unsupported property',
    Detail: `Property Name:${what} specified is unsupported or invalid`,
    code: '2010',
    element,
  };
}

function missing(path: string): IntuitFaultError {
  return {
    Message: 'Required param missing, need to supply the required value for the API',
    Detail: `Required parameter ${path} is missing in the request`,
    code: '2020',
    element: path,
  };
}

function refuse(errors: readonly IntuitFaultError[]): QuickBooksEntryCheck {
  return { ok: false, fault: { type: 'ValidationFault', Error: errors }, closedBooks: false };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
