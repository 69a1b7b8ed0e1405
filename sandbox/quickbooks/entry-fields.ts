import { isCalendarDate } from '../../src/calendar/index.js';
import { readCents } from '../fake-kit/index.js';
import type { IntuitFaultError, QuickBooksEntryRules } from './entry-checks.js';
import { isObject } from './request-body.js';

/** Reading a JournalEntry's fields as QuickBooks reads them, each problem pushed as the fault error Intuit sends. */

const REF_FIELDS = new Set(['value', 'name', 'type']);

export function readAmount(value: unknown, errors: IntuitFaultError[]): bigint | undefined {
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
export function readRef(
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

export function readCurrency(
  ref: unknown,
  rules: Pick<QuickBooksEntryRules, 'homeCurrency' | 'multiCurrency'>,
  errors: IntuitFaultError[],
): string {
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
export function readExchangeRate(value: unknown, errors: IntuitFaultError[]): string | undefined {
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

export function readDate(value: unknown): string | undefined {
  return typeof value === 'string' && isCalendarDate(value) ? value : undefined;
}

export function unknownFields(
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

export function unsupported(what: string, element: string): IntuitFaultError {
  return {
    Message: 'Request has invalid or unsupported property',
    Detail: `Property Name:${what} specified is unsupported or invalid`,
    code: '2010',
    element,
  };
}

export function missing(path: string): IntuitFaultError {
  return {
    Message: 'Required param missing, need to supply the required value for the API',
    Detail: `Required parameter ${path} is missing in the request`,
    code: '2020',
    element: path,
  };
}
