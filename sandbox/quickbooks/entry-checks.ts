import { formatCents } from '../../src/money/index.js';
import {
  missing,
  readAmount,
  readCurrency,
  readDate,
  readExchangeRate,
  readRef,
  unknownFields,
  unsupported,
} from './entry-fields.js';
import { isObject } from './request-body.js';
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

  const docNumber = readDocNumber(body.DocNumber, errors);
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

  const refused = entryRefusal(lines, txnDate, docNumber, rules);
  if (refused !== undefined) return refused;
  const sentCalculation =
    body.GlobalTaxCalculation === undefined || body.GlobalTaxCalculation === null ? undefined : globalTaxCalculation;
  return {
    ok: true,
    draft: { docNumber, txnDate, privateNote, currency, exchangeRate, globalTaxCalculation: sentCalculation, lines },
  };
}

function readDocNumber(value: unknown, errors: IntuitFaultError[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  const docNumber = String(value);
  if (docNumber.length > QUICKBOOKS_DOC_NUMBER_MAX) {
    errors.push({
      Message: 'String length is either shorter or longer than supported by specification',
      Detail: `String length specified does not match the supported length. Min:0 Max:${QUICKBOOKS_DOC_NUMBER_MAX} supported. Supplied length:${docNumber.length}`,
      code: '2050',
      element: 'DocNumber',
    });
  }
  return docNumber;
}

/** What refuses a well-formed entry, in QuickBooks' order: unbalanced, dated in closed books, a DocNumber already used. */
function entryRefusal(
  lines: readonly QuickBooksEntryLine[],
  txnDate: string,
  docNumber: string | undefined,
  rules: QuickBooksEntryRules,
): QuickBooksEntryCheck | undefined {
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
  return undefined;
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

  const postingType = readPostingType(detail.PostingType, errors);
  if (postingType === undefined) return undefined;

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

function readPostingType(postingType: unknown, errors: IntuitFaultError[]): QuickBooksPostingType | undefined {
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
  return postingType;
}

function refuse(errors: readonly IntuitFaultError[]): QuickBooksEntryCheck {
  return { ok: false, fault: { type: 'ValidationFault', Error: errors }, closedBooks: false };
}
