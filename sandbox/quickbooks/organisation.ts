import type { QuickBooksFakeAccount, QuickBooksFakeListItem, IntuitFaultError } from './entry-checks.js';
import type { QueryableEntity, QueryValue } from './query-parser.js';

/**
 * The parts of the QuickBooks fake's company beyond its chart: the Class,
 * Department (Location), Customer and Vendor lists as the query language
 * reads them, and the Name (Entity) a journal line on Accounts Receivable or
 * Accounts Payable must carry.
 */

export const QUICKBOOKS_FAKE_LISTS = ['Class', 'Department', 'Customer', 'Vendor'] as const;
export type QuickBooksFakeList = (typeof QUICKBOOKS_FAKE_LISTS)[number];

/** Classes and departments are named by Name, customers and vendors by DisplayName. */
export const QUICKBOOKS_FAKE_LIST_ENTITIES: readonly QueryableEntity[] = [
  { name: 'Class', fields: { Id: 'id', Name: 'text', FullyQualifiedName: 'text', Active: 'boolean' } },
  { name: 'Department', fields: { Id: 'id', Name: 'text', FullyQualifiedName: 'text', Active: 'boolean' } },
  { name: 'Customer', fields: { Id: 'id', DisplayName: 'text', Active: 'boolean' } },
  { name: 'Vendor', fields: { Id: 'id', DisplayName: 'text', Active: 'boolean' } },
];

export interface QuickBooksFakeLists {
  classes: readonly QuickBooksFakeListItem[];
  departments: readonly QuickBooksFakeListItem[];
  customers: readonly QuickBooksFakeListItem[];
  vendors: readonly QuickBooksFakeListItem[];
}

/** The query rows of one list: each item's fields, and the object QuickBooks renders for it. */
export function listRows(
  entity: QuickBooksFakeList,
  lists: QuickBooksFakeLists,
): { read: (field: string) => QueryValue | undefined; render: () => Record<string, unknown> }[] {
  const items =
    entity === 'Class'
      ? lists.classes
      : entity === 'Department'
        ? lists.departments
        : entity === 'Customer'
          ? lists.customers
          : lists.vendors;
  const person = entity === 'Customer' || entity === 'Vendor';
  return items.map((item) => {
    const fields: Record<string, QueryValue> = person
      ? { Id: item.id, DisplayName: item.name, Active: true }
      : { Id: item.id, Name: item.name, FullyQualifiedName: item.name, Active: true };
    const render = () =>
      person
        ? {
            Id: item.id,
            DisplayName: item.name,
            FullyQualifiedName: item.name,
            Active: true,
            domain: 'QBO',
            sparse: false,
            SyncToken: '0',
          }
        : {
            Id: item.id,
            Name: item.name,
            FullyQualifiedName: item.name,
            SubClass: false,
            SubDepartment: false,
            Active: true,
            domain: 'QBO',
            sparse: false,
            SyncToken: '0',
          };
    return { read: (field: string) => fields[field], render };
  });
}

export interface QuickBooksLineEntity {
  type: 'Customer' | 'Vendor';
  id: string;
}

/**
 * A line's Entity, checked: a Customer or Vendor the company has, and one at
 * all on Accounts Receivable (a customer) and Accounts Payable (a vendor).
 * The 6000 texts are those QuickBooks users commonly report; 2500 follows the
 * fake's account refusal.
 */
export function checkLineEntity(
  raw: unknown,
  account: QuickBooksFakeAccount | undefined,
  lists: QuickBooksFakeLists,
  errors: IntuitFaultError[],
): QuickBooksLineEntity | undefined {
  let entity: QuickBooksLineEntity | undefined;
  if (raw !== undefined && raw !== null) {
    const record = isObject(raw) ? raw : {};
    const type = record.Type;
    const ref = isObject(record.EntityRef) ? record.EntityRef : {};
    const id = ref.value === undefined || ref.value === null ? '' : String(ref.value);
    if (type !== 'Customer' && type !== 'Vendor') {
      errors.push({
        Message: 'Invalid Enumeration',
        Detail: `Invalid Enumeration : ${String(type)}`,
        code: '2170',
        element: 'Entity.Type',
      });
      return undefined;
    }
    const known = type === 'Customer' ? lists.customers : lists.vendors;
    if (!known.some((item) => item.id === id)) {
      errors.push({
        Message: 'Invalid Reference Id',
        Detail: `Invalid Reference Id : Names element id ${id} not found`,
        code: '2500',
        element: '',
      });
      return undefined;
    }
    entity = { type, id };
  }
  if (account?.accountType === 'Accounts Receivable' && entity?.type !== 'Customer') {
    errors.push({
      Message: 'A business validation error has occurred while processing your request',
      Detail:
        'Business Validation Error: When you use Accounts Receivable, you must choose a customer in the Name field.',
      code: '6000',
      element: '',
    });
  }
  if (account?.accountType === 'Accounts Payable' && entity?.type !== 'Vendor') {
    errors.push({
      Message: 'A business validation error has occurred while processing your request',
      Detail: 'Business Validation Error: When you use Accounts Payable, you must select a vendor in the Name field.',
      code: '6000',
      element: '',
    });
  }
  return entity;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
