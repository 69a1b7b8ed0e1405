import { centsJson, JsonNumber } from '../json-text.js';
import { pacificTime, type QuickBooksCompany, type QuickBooksStoredEntry } from './company.js';
import type { QuickBooksFakeAccount, QuickBooksFakeListItem } from './entry-checks.js';

/** A JournalEntry and an Account as QuickBooks answers them (minorversion 75), names resolved from the company's lists. */

const CURRENCY_NAMES: Readonly<Record<string, string>> = {
  USD: 'United States Dollar',
  EUR: 'Euro',
  GBP: 'British Pound Sterling',
  INR: 'Indian Rupee',
  CAD: 'Canadian Dollar',
  AUD: 'Australian Dollar',
};

export function renderEntry(company: QuickBooksCompany, entry: QuickBooksStoredEntry): Record<string, unknown> {
  const { accounts, classes, departments, customers, vendors } = company;
  const accountName = (id: string): string | undefined => accounts.find((account) => account.id === id)?.name;
  const listName = (items: readonly QuickBooksFakeListItem[], id: string): string | undefined => items.find((item) => item.id === id)?.name;
  const created = pacificTime(entry.createdAt, false);
  return {
    Adjustment: false,
    domain: 'QBO',
    sparse: false,
    Id: entry.id,
    SyncToken: entry.syncToken,
    MetaData: { CreateTime: created, LastUpdatedTime: created },
    DocNumber: entry.docNumber,
    TxnDate: entry.txnDate,
    CurrencyRef: { value: entry.currency, name: CURRENCY_NAMES[entry.currency] ?? entry.currency },
    ...(entry.exchangeRate === undefined ? {} : { ExchangeRate: new JsonNumber(entry.exchangeRate) }),
    PrivateNote: entry.privateNote,
    Line: entry.lines.map((line, index) => ({
      Id: String(index),
      Description: line.description,
      Amount: centsJson(line.cents),
      DetailType: 'JournalEntryLineDetail',
      JournalEntryLineDetail: {
        PostingType: line.postingType,
        AccountRef: { value: line.accountId, name: accountName(line.accountId) },
        Entity: line.entity === undefined ? undefined : { Type: line.entity.type, EntityRef: { value: line.entity.id, name: listName(line.entity.type === 'Customer' ? customers : vendors, line.entity.id) } },
        ClassRef: line.classId === undefined ? undefined : { value: line.classId, name: listName(classes, line.classId) },
        DepartmentRef: line.departmentId === undefined ? undefined : { value: line.departmentId, name: listName(departments, line.departmentId) },
      },
    })),
    TxnTaxDetail: {},
  };
}

export function renderAccount(company: QuickBooksCompany, account: QuickBooksFakeAccount): Record<string, unknown> {
  const { homeCurrency, createdAt } = company;
  const created = pacificTime(createdAt, false);
  return {
    Name: account.name,
    SubAccount: false,
    FullyQualifiedName: account.name,
    Active: account.active,
    Classification: account.classification,
    AccountType: account.accountType,
    AccountSubType: account.accountSubType,
    CurrentBalance: 0,
    CurrentBalanceWithSubAccounts: 0,
    CurrencyRef: { value: homeCurrency, name: CURRENCY_NAMES[homeCurrency] ?? homeCurrency },
    domain: 'QBO',
    sparse: false,
    Id: account.id,
    SyncToken: '0',
    MetaData: { CreateTime: created, LastUpdatedTime: created },
  };
}
