import { ObjectSerializer } from 'xero-node';
import { describe, expect, it } from 'vitest';
import { quickbooksJournalEntry } from '../../src/destinations/quickbooks/quickbooks-payload.js';
import {
  quickbooksLineTaxes,
  type QuickbooksTaxCodeFact,
  type QuickbooksTaxSetup,
} from '../../src/destinations/quickbooks/quickbooks-tax.js';
import { xeroManualJournal } from '../../src/destinations/xero/xero-payload.js';
import { xeroLineTaxTypes, type XeroTaxSetup } from '../../src/destinations/xero/xero-tax.js';
import { DEFAULT_CHART, DEFAULT_TAXABLE } from '../rules/default-chart.js';
import { FINANCE_XSD_TRANSACTION, unlisted } from '../support/finance-xsd.js';
import { panelRoundingDay, publisherEarnings, quickbooksMapping, xeroMapping } from './csv/sample-entries.js';

/**
 * Issue 54: a taxed journal as each vendor publishes its shape, checked on the very bodies the clients send.
 *
 * Xero: XeroAPI/Xero-OpenAPI xero_accounting.yaml, `ManualJournal` (Narration required; JournalLines, Date,
 * LineAmountTypes, Status, Url, ShowOnCashBasisReports, and read-only fields a request leaves out),
 * `ManualJournalLine` (LineAmount, AccountCode, AccountID, Description, TaxType, Tracking, TaxAmount (read-only),
 * IsBlank), `LineAmountTypes` (Exclusive, Inclusive, NoTax) and the status codes (DRAFT, POSTED, DELETED, VOIDED,
 * ARCHIVED). A TaxType is a code from /TaxRates (INPUT2, ZERORATEDOUTPUT), never a display name.
 *
 * QuickBooks: intuit/QuickBooks-V3-Java-SDK ipp-v3-java-data/src/main/xsd/Finance.xsd, read 2026-11-26:
 * `JournalEntry` extends `Transaction`; `Line`; `JournalEntryLineDetail`; `GlobalTaxCalculationEnum`,
 * `TaxApplicableOnEnum`, `PostingTypeEnum`; a reference is `{ value, name }` (ReferenceType's value and name).
 */
const XERO_MANUAL_JOURNAL = [
  'Narration',
  'JournalLines',
  'Date',
  'LineAmountTypes',
  'Status',
  'Url',
  'ShowOnCashBasisReports',
];
const XERO_MANUAL_JOURNAL_LINE = [
  'LineAmount',
  'AccountCode',
  'AccountID',
  'Description',
  'TaxType',
  'Tracking',
  'IsBlank',
];
const XERO_LINE_AMOUNT_TYPES = ['Exclusive', 'Inclusive', 'NoTax'];
const XERO_STATUSES = ['DRAFT', 'POSTED', 'DELETED', 'VOIDED', 'ARCHIVED'];

const QBO_JOURNAL_ENTRY = [
  'Adjustment',
  'HomeCurrencyAdjustment',
  'EnteredInHomeCurrency',
  'GlobalTaxCalculation',
  'TotalAmt',
  'HomeTotalAmt',
  'JournalEntryEx',
];
const QBO_LINE = [
  'Id',
  'LineNum',
  'Description',
  'Amount',
  'LinkedTxn',
  'DetailType',
  'JournalEntryLineDetail',
  'CustomField',
  'LineEx',
  'ProjectRef',
];
const QBO_JOURNAL_ENTRY_LINE_DETAIL = [
  'PostingType',
  'Entity',
  'AccountRef',
  'ClassRef',
  'DepartmentRef',
  'TaxCodeRef',
  'TaxRateRef',
  'TaxApplicableOn',
  'TaxAmount',
  'TaxInclusiveAmt',
  'BillableStatus',
  'JournalCodeRef',
  'JournalEntryLineDetailEx',
];
const QBO_GLOBAL_TAX_CALCULATION = ['TaxInclusive', 'TaxExcluded', 'NotApplicable'];

/** An amount as JSON carries it: a number with at most two decimals (the bodies' cents). */
const atMostCents = (amount: unknown) =>
  typeof amount === 'number' && Number.isFinite(amount) && Math.round(amount * 100) / 100 === amount;

const chart = {
  events: DEFAULT_CHART,
  profitAndLoss: new Set(['ad_revenue', 'advertising_expense', 'smm_services_expense', 'rounding', 'bank_fees']),
  taxable: DEFAULT_TAXABLE,
};

describe("a taxed Xero manual journal is what Xero's OpenAPI describes", () => {
  const tax: XeroTaxSetup = {
    chart,
    flows: { publisher_earnings: [{ code: 'ZERORATEDOUTPUT' }], order_charge: [{ code: 'REVERSECHARGES' }] },
  };

  it.each([
    ['publisher earnings', publisherEarnings],
    ['a panel day with a rounding line', panelRoundingDay],
  ])('%s: only published fields, the enums as published, a TaxType code on every line', (_, entry) => {
    const journal = xeroManualJournal(entry, xeroMapping, { status: 'POSTED', taxTypes: xeroLineTaxTypes(entry, tax) });
    // What the wire carries: xero-node's serialization, as JSON (an unset field is left out).
    const sent = JSON.parse(
      JSON.stringify(ObjectSerializer.serialize({ manualJournals: [journal] }, 'ManualJournals')),
    ) as {
      ManualJournals: Record<string, unknown>[];
    };
    const [body] = sent.ManualJournals;
    expect(unlisted(body!, XERO_MANUAL_JOURNAL)).toEqual([]);
    expect(typeof body!.Narration).toBe('string');
    expect(XERO_LINE_AMOUNT_TYPES).toContain(body!.LineAmountTypes);
    expect(body!.LineAmountTypes).toBe('Inclusive');
    expect(XERO_STATUSES).toContain(body!.Status);
    const lines = body!.JournalLines as Record<string, unknown>[];
    for (const line of lines) {
      expect(unlisted(line, XERO_MANUAL_JOURNAL_LINE)).toEqual([]);
      expect(line.TaxType).toMatch(/^[A-Z0-9]+$/);
      expect(atMostCents(line.LineAmount)).toBe(true);
    }
  });
});

describe("a taxed QuickBooks journal entry is what Intuit's Finance.xsd describes", () => {
  const codes: QuickbooksTaxCodeFact[] = [
    { id: '7', name: '20.0% S', active: true, sales: ['20'], purchase: ['20'] },
    { id: '9', name: '0.0% Z', active: true, sales: ['0'], purchase: ['0'] },
    { id: '12', name: 'No VAT', active: true, sales: ['0'], purchase: ['0'] },
  ];
  const setup: QuickbooksTaxSetup = {
    chart,
    flows: { publisher_earnings: [{ code: '0.0% Z' }], order_charge: [{ code: '20.0% S' }] },
    revenue: new Set(['ad_revenue']),
    untaxedCode: 'No VAT',
  };

  it.each([
    ['publisher earnings', publisherEarnings],
    ['a panel day with a rounding line', panelRoundingDay],
  ])(
    '%s: only elements of JournalEntry, Transaction, Line and JournalEntryLineDetail, the enums as published',
    (_, entry) => {
      const body = quickbooksJournalEntry(
        entry,
        quickbooksMapping,
        undefined,
        quickbooksLineTaxes(entry, setup, codes),
      );
      expect(unlisted(body, [...FINANCE_XSD_TRANSACTION, ...QBO_JOURNAL_ENTRY])).toEqual([]);
      expect(QBO_GLOBAL_TAX_CALCULATION).toContain(body.GlobalTaxCalculation);
      for (const line of body.Line) {
        expect(unlisted(line, QBO_LINE)).toEqual([]);
        expect(line.DetailType).toBe('JournalEntryLineDetail');
        const detail = line.JournalEntryLineDetail as Record<string, unknown>;
        expect(unlisted(detail, QBO_JOURNAL_ENTRY_LINE_DETAIL)).toEqual([]);
        expect(['Credit', 'Debit']).toContain(detail.PostingType);
        expect(atMostCents(line.Amount)).toBe(true);
        if (detail.TaxCodeRef === undefined) continue;
        expect(Object.keys(detail.TaxCodeRef as object).sort()).toEqual(['name', 'value']);
        expect(['Purchase', 'Sales']).toContain(detail.TaxApplicableOn);
        expect(atMostCents(detail.TaxAmount)).toBe(true);
      }
      expect(body.Line.some((line) => (line.JournalEntryLineDetail as { TaxCodeRef?: unknown }).TaxCodeRef)).toBe(true);
    },
  );
});
