import { isCalendarDate } from '../../src/calendar/index.js';
import { readCents } from '../fake-kit/index.js';
import type { QuickBooksCompany } from './company.js';
import type { IntuitFaultError } from './entry-checks.js';
import { isObject } from './request-body.js';

/** What a Transfer and a Deposit check alike: account references, the amount, the date (Intuit's fault codes; the details are the fake's words). */

/** Balance Sheet classifications: a Transfer's accounts "Must be a Balance Sheet account" (Finance.xsd, Transfer). */
const BALANCE_SHEET = new Set(['Asset', 'Liability', 'Equity']);

export function missing(element: string): IntuitFaultError {
  return {
    Message: 'Required param missing, need to supply the required value for the API',
    Detail: `Required parameter ${element} is missing in the request`,
    code: '2020',
    element,
  };
}

export function businessRule(detail: string, element: string): IntuitFaultError {
  return {
    Message: 'A business validation error has occurred while processing your request',
    Detail: `Business Validation Error: ${detail}`,
    code: '6000',
    element,
  };
}

/** The active account a `{value}` reference names; `balanceSheet` refuses Income and Expense accounts. */
export function accountRef(
  company: QuickBooksCompany,
  value: unknown,
  element: string,
  errors: IntuitFaultError[],
  options: { balanceSheet?: boolean } = {},
): string | undefined {
  const id = isObject(value) && typeof value.value === 'string' ? value.value : undefined;
  if (id === undefined) {
    errors.push(missing(element));
    return undefined;
  }
  const account = company.accounts.find((candidate) => candidate.id === id && candidate.active);
  if (!account) {
    errors.push({
      Message: 'Invalid Reference Id',
      Detail: `Invalid Reference Id : Accounts element id ${id} not found`,
      code: '2500',
      element,
    });
    return undefined;
  }
  if (options.balanceSheet === true && !BALANCE_SHEET.has(account.classification)) {
    errors.push(
      businessRule(
        `${element} must be a Balance Sheet account; ${account.name} is ${account.classification}.`,
        element,
      ),
    );
    return undefined;
  }
  return id;
}

/** A positive amount with at most 2 decimals, in cents. */
export function positiveCents(value: unknown, element: string, errors: IntuitFaultError[]): bigint | undefined {
  if (value === undefined) {
    errors.push(missing(element));
    return undefined;
  }
  const amount = readCents(value);
  if (!amount.ok || amount.cents <= 0n) {
    errors.push(businessRule(`${element} must be a number above zero with at most 2 decimal places.`, element));
    return undefined;
  }
  return amount.cents;
}

/** TxnDate as sent, or today (QuickBooks uses the server's date when it is left out); refused on or before the book close date. */
export function txnDate(company: QuickBooksCompany, value: unknown, errors: IntuitFaultError[]): string | undefined {
  const date =
    value === undefined ? company.today() : typeof value === 'string' && isCalendarDate(value) ? value : undefined;
  if (date === undefined) errors.push(businessRule(`TxnDate ${String(value)} is not a date.`, 'TxnDate'));
  else if (company.bookCloseDate !== undefined && date <= company.bookCloseDate) {
    errors.push({
      Message: 'Account Period Closed',
      Detail:
        'The account period has closed and the account books cannot be updated through the QBO Services API. Please use the QBO website to make these changes.',
      code: '6210',
      element: '',
    });
    return undefined;
  }
  return date;
}
