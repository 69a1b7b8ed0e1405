import { pacificTime, type QuickBooksCompany, type QuickBooksStoredEntry } from './company.js';
import { QUICKBOOKS_FAKE_LIST_ENTITIES, listRows, type QuickBooksFakeList } from './organisation.js';
import {
  QueryError,
  compareValues,
  matchesQuery,
  parseQuery,
  type ParsedQuery,
  type QueryValue,
  type QueryableEntity,
} from './query-parser.js';
import { renderAccount, renderEntry } from './render.js';
import { renderTaxCode, renderTaxRate } from './tax-codes.js';
import { renderDeposit, renderTransfer } from './bank-documents.js';
import { renderAttachable } from './attachables.js';

/** The query endpoint: QuickBooks' SQL-like `select … from JournalEntry|Account|… where … orderby … startposition … maxresults …`. */

const QUERYABLE: readonly QueryableEntity[] = [
  {
    name: 'JournalEntry',
    fields: {
      Id: 'id',
      DocNumber: 'text',
      TxnDate: 'date',
      'MetaData.CreateTime': 'datetime',
      'MetaData.LastUpdatedTime': 'datetime',
    },
  },
  {
    name: 'Account',
    fields: {
      Id: 'id',
      Name: 'text',
      AccountType: 'text',
      AccountSubType: 'text',
      Classification: 'text',
      Active: 'boolean',
      FullyQualifiedName: 'text',
    },
  },
  { name: 'Transfer', fields: { Id: 'id', TxnDate: 'date', 'MetaData.CreateTime': 'datetime' } },
  { name: 'Deposit', fields: { Id: 'id', TxnDate: 'date', 'MetaData.CreateTime': 'datetime' } },
  { name: 'TaxCode', fields: { Id: 'id', Name: 'text', Active: 'boolean', Taxable: 'boolean' } },
  { name: 'TaxRate', fields: { Id: 'id', Name: 'text', Active: 'boolean' } },
  {
    name: 'Attachable',
    fields: {
      Id: 'id',
      FileName: 'text',
      'AttachableRef.EntityRef.Type': 'text',
      'AttachableRef.EntityRef.value': 'text',
    },
  },
  ...QUICKBOOKS_FAKE_LIST_ENTITIES,
];

export /** A query refused outside a batch: its Fault goes out in an HTTP 400. */
class QueryRefused extends Error {
  constructor(readonly fault: Record<string, unknown>) {
    super('query refused');
  }
}

/** A query's answer: `QueryResponse` for the envelope, or a `Fault` (inside a batch) when it cannot run. */
export function queryResponse(
  company: QuickBooksCompany,
  text: string,
  insideBatch: boolean,
): { QueryResponse: Record<string, unknown> } | { Fault: Record<string, unknown> } {
  const { classes, departments, customers, vendors, entries } = company;
  let query: ParsedQuery;
  try {
    query = parseQuery(text, QUERYABLE);
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    const message = error.code === '4000' ? 'Error parsing query' : 'Invalid query';
    const fault = { Error: [{ Message: message, Detail: error.message, code: error.code }], type: 'ValidationFault' };
    if (insideBatch) return { Fault: fault };
    throw new QueryRefused(fault);
  }
  const rows =
    query.entity === 'JournalEntry'
      ? entries.map((entry) => ({ read: entryField(entry), render: () => renderEntry(company, entry) }))
      : query.entity === 'Transfer' || query.entity === 'Deposit'
        ? bankRows(company, query.entity)
        : query.entity === 'Attachable'
          ? attachableRows(company)
          : query.entity === 'Account'
            ? accountRows(company, query)
            : query.entity === 'TaxCode' || query.entity === 'TaxRate'
              ? taxRows(company, query, query.entity)
              : listRows(query.entity as QuickBooksFakeList, { classes, departments, customers, vendors });
  const selected = rows.filter((row) => matchesQuery(row.read, query.conditions));
  if (query.count) return { QueryResponse: { totalCount: selected.length } };
  for (const order of [...query.orderBy].reverse()) {
    selected.sort((a, b) => {
      const sign = compareValues(a.read(order.field) ?? '', b.read(order.field) ?? '', order.kind) ?? 0;
      return order.descending ? -sign : sign;
    });
  }
  const page = selected.slice(query.startPosition - 1, query.startPosition - 1 + query.maxResults);
  // QuickBooks answers an empty QueryResponse object, without the entity key, when nothing matches.
  if (page.length === 0) return { QueryResponse: {} };
  return {
    QueryResponse: {
      [query.entity]: page.map((row) => row.render()),
      startPosition: query.startPosition,
      maxResults: page.length,
    },
  };
}

/** The tax table's codes or rates; like the other name lists, only the active ones unless the query asks about Active. */
function taxRows(company: QuickBooksCompany, query: ParsedQuery, entity: 'TaxCode' | 'TaxRate') {
  const { taxTable } = company;
  const asksActive = query.conditions.some((condition) => condition.field === 'Active');
  const items = entity === 'TaxCode' ? taxTable.codes : taxTable.rates;
  return items
    .filter((item) => asksActive || item.active)
    .map((item) => {
      const fields: Record<string, QueryValue> = {
        Id: item.id,
        Name: item.name,
        Active: item.active,
        ...('taxable' in item ? { Taxable: item.taxable } : {}),
      };
      return {
        read: (field: string) => fields[field],
        render: () => ('taxable' in item ? renderTaxCode(taxTable, item) : renderTaxRate(item)),
      };
    });
}

function accountRows(company: QuickBooksCompany, query: ParsedQuery) {
  const { accounts } = company;
  // Name lists answer only active items unless the query asks about Active itself.
  const asksActive = query.conditions.some((condition) => condition.field === 'Active');
  return accounts
    .filter((account) => asksActive || account.active)
    .map((account) => {
      const fields: Record<string, QueryValue> = {
        Id: account.id,
        Name: account.name,
        AccountType: account.accountType,
        AccountSubType: account.accountSubType,
        Classification: account.classification,
        Active: account.active,
        FullyQualifiedName: account.name,
      };
      return { read: (field: string) => fields[field], render: () => renderAccount(company, account) };
    });
}

function bankRows(company: QuickBooksCompany, entity: 'Transfer' | 'Deposit') {
  const row = (document: { id: string; txnDate: string; createdAt: number }, render: () => Record<string, unknown>) => {
    const fields: Record<string, QueryValue> = {
      Id: document.id,
      TxnDate: document.txnDate,
      'MetaData.CreateTime': pacificTime(document.createdAt, false),
    };
    return { read: (field: string) => fields[field], render };
  };
  return entity === 'Transfer'
    ? company.transfers.map((transfer) => row(transfer, () => renderTransfer(company, transfer)))
    : company.deposits.map((deposit) => row(deposit, () => renderDeposit(company, deposit)));
}

function entryField(entry: QuickBooksStoredEntry): (field: string) => QueryValue | undefined {
  const created = pacificTime(entry.createdAt, false);
  const fields: Record<string, QueryValue | undefined> = {
    Id: entry.id,
    DocNumber: entry.docNumber,
    TxnDate: entry.txnDate,
    'MetaData.CreateTime': created,
    'MetaData.LastUpdatedTime': created,
  };
  return (field) => fields[field];
}

function attachableRows(company: QuickBooksCompany) {
  return company.attachables.map((attachable) => {
    const fields: Record<string, QueryValue> = {
      Id: attachable.id,
      FileName: attachable.fileName,
      'AttachableRef.EntityRef.Type': attachable.entityType,
      'AttachableRef.EntityRef.value': attachable.entityId,
    };
    return { read: (field: string) => fields[field], render: () => renderAttachable(company, attachable) };
  });
}
