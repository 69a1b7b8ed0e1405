import { centsJson, JsonNumber } from '../json-text.js';
import { pacificTime, type QuickBooksCompany, type QuickBooksStoredEntry } from './company.js';
import type { QuickBooksFakeAccount, QuickBooksFakeListItem } from './entry-checks.js';
import { parseScaled } from '../../src/money/index.js';
import { quickbooksLineTaxCents, type QuickBooksLineTax } from './tax-codes.js';

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
  const listName = (items: readonly QuickBooksFakeListItem[], id: string): string | undefined =>
    items.find((item) => item.id === id)?.name;
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
        Entity:
          line.entity === undefined
            ? undefined
            : {
                Type: line.entity.type,
                EntityRef: {
                  value: line.entity.id,
                  name: listName(line.entity.type === 'Customer' ? customers : vendors, line.entity.id),
                },
              },
        ClassRef:
          line.classId === undefined ? undefined : { value: line.classId, name: listName(classes, line.classId) },
        DepartmentRef:
          line.departmentId === undefined
            ? undefined
            : { value: line.departmentId, name: listName(departments, line.departmentId) },
        ...(line.tax === undefined ? {} : lineTaxFields(company, line.tax)),
      },
    })),
    ...(entry.globalTaxCalculation === undefined ? {} : { GlobalTaxCalculation: entry.globalTaxCalculation }),
    TxnTaxDetail: txnTaxDetail(company, entry),
  };
}

function lineTaxFields(company: QuickBooksCompany, tax: QuickBooksLineTax): Record<string, unknown> {
  const name = company.taxTable.codes.find((code) => code.id === tax.taxCodeId)?.name;
  return {
    TaxCodeRef: { value: tax.taxCodeId, name },
    TaxApplicableOn: tax.applicableOn,
    TaxAmount: centsJson(tax.taxCents),
  };
}

/**
 * The entry's TxnTaxDetail as Finance.xsd shapes it: a TaxLine per rate, each on the net of the lines whose code
 * holds it (the line less its tax), and TotalTax the lines' tax; {} for an entry without any, as before tax codes.
 * A reverse charge's two rates give +20.00 and −20.00 on 100.00: TotalTax 0.00.
 */
function txnTaxDetail(company: QuickBooksCompany, entry: QuickBooksStoredEntry): Record<string, unknown> {
  const taxed = entry.lines.filter((line) => line.tax !== undefined);
  if (taxed.length === 0) return {};
  const netByRate = new Map<string, bigint>();
  let total = 0n;
  for (const line of taxed) {
    const tax = line.tax!;
    const sign = line.postingType === 'Debit' ? 1n : -1n;
    total += sign * tax.taxCents;
    const code = company.taxTable.codes.find((candidate) => candidate.id === tax.taxCodeId);
    for (const rateId of (tax.applicableOn === 'Sales' ? code?.salesRates : code?.purchaseRates) ?? []) {
      netByRate.set(rateId, (netByRate.get(rateId) ?? 0n) + sign * (line.cents - tax.taxCents));
    }
  }
  return {
    TotalTax: centsJson(total),
    TaxLine: [...netByRate].map(([rateId, net]) => {
      const percent = company.taxTable.rates.find((rate) => rate.id === rateId)?.rateValue ?? '0';
      return {
        Amount: centsJson(quickbooksLineTaxCents(net, parseScaled(percent, 4), 'TaxExcluded')),
        DetailType: 'TaxLineDetail',
        TaxLineDetail: {
          TaxRateRef: { value: rateId },
          PercentBased: true,
          TaxPercent: new JsonNumber(percent),
          NetAmountTaxable: centsJson(net),
        },
      };
    }),
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
