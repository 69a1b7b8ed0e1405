import { divideHalfEven, parseScaled } from '../../src/money/index.js';
import { JsonNumber } from '../json-text.js';
import type { IntuitFaultError, QuickBooksAccountClassification } from './entry-checks.js';

/**
 * A non-US company's tax table as QuickBooks Online's API gives it (Finance.xsd): a TaxRate has a RateValue in
 * percent; a TaxCode groups rates in a SalesTaxRateList and a PurchaseTaxRateList. A journal line names a
 * TaxCodeRef and says which list applies (TaxApplicableOn: Sales or Purchase).
 *
 * The UK table below follows what public sources show of UK companies (QuickBooks-V3-PHP-SDK issue 48:
 * "20.0% S" with sales rate SS-20.0 and purchase rate SP-20.0; Link My Books' "20.0% RC SG"); its ids and the
 * reverse charge's two rates are the fake's own [U]. A reverse charge's purchase list holds VAT due (+20) and
 * VAT reclaimed (−20): its effective rate is 0, so a line carries no tax amount, as on the Xero side.
 */
export interface QuickBooksFakeTaxRate {
  id: string;
  name: string;
  /** Percent as decimal text: "20", "-20", "0". */
  rateValue: string;
  active: boolean;
}

export interface QuickBooksFakeTaxCode {
  id: string;
  name: string;
  description: string;
  active: boolean;
  taxable: boolean;
  /** TaxRate ids of SalesTaxRateList / PurchaseTaxRateList; a code without a list cannot be used on that side. */
  salesRates: readonly string[];
  purchaseRates: readonly string[];
}

export interface QuickBooksFakeTaxTable {
  rates: readonly QuickBooksFakeTaxRate[];
  codes: readonly QuickBooksFakeTaxCode[];
}

export const QUICKBOOKS_UK_TAX_TABLE: QuickBooksFakeTaxTable = {
  rates: [
    { id: '1', name: '20.0% S (sales)', rateValue: '20', active: true },
    { id: '2', name: '20.0% S (purchases)', rateValue: '20', active: true },
    { id: '3', name: '0.0% Z', rateValue: '0', active: true },
    { id: '4', name: 'Exempt', rateValue: '0', active: true },
    { id: '5', name: 'No VAT', rateValue: '0', active: true },
    { id: '6', name: '20.0% RC SG (VAT due)', rateValue: '20', active: true },
    { id: '7', name: '20.0% RC SG (VAT reclaimed)', rateValue: '-20', active: true },
    { id: '8', name: '17.5% S', rateValue: '17.5', active: false },
  ],
  codes: [
    {
      id: '2',
      name: '20.0% S',
      description: 'Standard rated 20%',
      active: true,
      taxable: true,
      salesRates: ['1'],
      purchaseRates: ['2'],
    },
    {
      id: '4',
      name: '0.0% Z',
      description: 'Zero rated',
      active: true,
      taxable: true,
      salesRates: ['3'],
      purchaseRates: ['3'],
    },
    {
      id: '6',
      name: 'Exempt',
      description: 'Exempt',
      active: true,
      taxable: false,
      salesRates: ['4'],
      purchaseRates: ['4'],
    },
    {
      id: '10',
      name: 'No VAT',
      description: 'Out of scope of VAT',
      active: true,
      taxable: false,
      salesRates: ['5'],
      purchaseRates: ['5'],
    },
    {
      id: '14',
      name: '20.0% RC SG',
      description: 'Reverse Charge Services 20%',
      active: true,
      taxable: true,
      salesRates: [],
      purchaseRates: ['6', '7'],
    },
    {
      id: '20',
      name: '17.5% S',
      description: 'Standard rated 17.5% (until 2011)',
      active: false,
      taxable: true,
      salesRates: ['8'],
      purchaseRates: ['8'],
    },
  ],
};

export type TaxApplicableOn = 'Sales' | 'Purchase';

/** What a line's tax reads as stored: its code, the side, and the tax inside (or on top of) its amount. */
export interface QuickBooksLineTax {
  taxCodeId: string;
  applicableOn: TaxApplicableOn;
  taxCents: bigint;
}

export type QuickBooksGlobalTaxCalculation = 'TaxInclusive' | 'TaxExcluded' | 'NotApplicable';
export const QUICKBOOKS_GLOBAL_TAX_CALCULATIONS: readonly QuickBooksGlobalTaxCalculation[] = [
  'TaxInclusive',
  'TaxExcluded',
  'NotApplicable',
];

const RATE_SCALE = 4;
const HUNDRED_PERCENT = 100n * 10n ** BigInt(RATE_SCALE);

/** The sum of a side's rates, in ten-thousandths of a percent: "20.0% RC SG" on Purchase is 20 − 20 = 0. */
export function effectiveRate(
  table: QuickBooksFakeTaxTable,
  code: QuickBooksFakeTaxCode,
  side: TaxApplicableOn,
): bigint {
  const ids = side === 'Sales' ? code.salesRates : code.purchaseRates;
  return ids.reduce(
    (total, id) => total + parseScaled(table.rates.find((rate) => rate.id === id)?.rateValue ?? '0', RATE_SCALE),
    0n,
  );
}

/**
 * The tax in a line of `cents` at `rate`, half to even: TaxInclusive takes it out (120.00 at 20 % holds 20.00;
 * 100.01 holds 16.668… → 16.67), TaxExcluded adds it on top (100.00 → 20.00), NotApplicable none. Whether
 * QuickBooks rounds a half penny to even is not published [U]; ledgerline computes the same.
 */
export function quickbooksLineTaxCents(
  cents: bigint,
  rate: bigint,
  calculation: QuickBooksGlobalTaxCalculation,
): bigint {
  if (calculation === 'NotApplicable') return 0n;
  return calculation === 'TaxExcluded'
    ? divideHalfEven(cents * rate, HUNDRED_PERCENT)
    : divideHalfEven(cents * rate, HUNDRED_PERCENT + rate);
}

/** What the line checks need of the company for tax. */
export interface QuickBooksTaxRules {
  /** CompanyInfo.Country: a US company has no tax code on journal lines. */
  country: string;
  taxTable: QuickBooksFakeTaxTable;
  /**
   * Whether a non-US company refuses an income or expense line without a TaxCodeRef (6000). Intuit documents
   * this refusal for UK transactions ("Make sure all your transactions have a VAT rate before you save"); for
   * journal entries it is not confirmed [U], so it is a setting, on unless told otherwise.
   */
  requireTaxCodes: boolean;
}

const VAT_RATE_MISSING: IntuitFaultError = {
  Message: 'A business validation error has occurred while processing your request',
  Detail: 'Business Validation Error: Make sure all your transactions have a VAT rate before you save.',
  code: '6000',
  element: '',
};

/**
 * One line's tax, checked: its TaxCodeRef names an active code of the company, TaxApplicableOn is Sales or
 * Purchase and the code has rates on that side; a US company takes no code on a journal line; a non-US
 * company refuses an income or expense line without one (6000). Returns undefined for a line without tax.
 */
export function checkLineTax(
  detail: Record<string, unknown>,
  line: { cents: bigint; classification: QuickBooksAccountClassification | undefined },
  calculation: QuickBooksGlobalTaxCalculation,
  rules: QuickBooksTaxRules,
  errors: IntuitFaultError[],
): QuickBooksLineTax | undefined {
  const ref = detail.TaxCodeRef;
  if (ref === undefined || ref === null) {
    const profitAndLoss = line.classification === 'Revenue' || line.classification === 'Expense';
    if (rules.country !== 'US' && rules.requireTaxCodes && profitAndLoss && !errors.includes(VAT_RATE_MISSING))
      errors.push(VAT_RATE_MISSING);
    return undefined;
  }
  if (rules.country === 'US') {
    errors.push(
      businessValidation(
        'TaxCodeRef is not supported on journal entry lines of a US company; sales tax is calculated on sales forms (Automated Sales Tax).',
        'TaxCodeRef',
      ),
    );
    return undefined;
  }
  const id = typeof ref === 'object' && ref !== null && 'value' in ref ? String((ref as { value: unknown }).value) : '';
  const code = rules.taxTable.codes.find((candidate) => candidate.id === id && candidate.active);
  if (code === undefined) {
    errors.push({
      Message: 'Invalid Reference Id',
      Detail: `Invalid Reference Id : TaxCode element id ${id} not found`,
      code: '2500',
      element: 'TaxCodeRef',
    });
    return undefined;
  }
  const side = detail.TaxApplicableOn;
  if (side !== 'Sales' && side !== 'Purchase') {
    errors.push({
      Message: 'Invalid Enumeration',
      Detail: `Invalid Enumeration : ${String(side)}`,
      code: '2170',
      element: 'TaxApplicableOn',
    });
    return undefined;
  }
  if ((side === 'Sales' ? code.salesRates : code.purchaseRates).length === 0) {
    errors.push(
      businessValidation(`The tax code ${code.name} cannot be used for ${side.toLowerCase()}.`, 'TaxCodeRef'),
    );
    return undefined;
  }
  return {
    taxCodeId: code.id,
    applicableOn: side,
    taxCents: quickbooksLineTaxCents(line.cents, effectiveRate(rules.taxTable, code, side), calculation),
  };
}

/** GlobalTaxCalculation as sent: one of Intuit's three values, NotApplicable when left out. */
export function readGlobalTaxCalculation(value: unknown, errors: IntuitFaultError[]): QuickBooksGlobalTaxCalculation {
  if (value === undefined || value === null) return 'NotApplicable';
  const found = QUICKBOOKS_GLOBAL_TAX_CALCULATIONS.find((calculation) => calculation === value);
  if (found === undefined)
    errors.push({
      Message: 'Invalid Enumeration',
      Detail: `Invalid Enumeration : ${String(value)}`,
      code: '2170',
      element: 'GlobalTaxCalculation',
    });
  return found ?? 'NotApplicable';
}

function businessValidation(detail: string, element: string): IntuitFaultError {
  return {
    Message: 'A business validation error has occurred while processing your request',
    Detail: `Business Validation Error: ${detail}`,
    code: '6000',
    element,
  };
}

/** A TaxCode as the query endpoint answers it. */
export function renderTaxCode(table: QuickBooksFakeTaxTable, code: QuickBooksFakeTaxCode): Record<string, unknown> {
  const list = (ids: readonly string[]) => ({
    TaxRateDetail: ids.map((id, index) => ({
      TaxRateRef: { value: id, name: table.rates.find((rate) => rate.id === id)?.name },
      TaxTypeApplicable: 'TaxOnAmount',
      TaxOrder: index,
    })),
  });
  return {
    Id: code.id,
    Name: code.name,
    Description: code.description,
    Active: code.active,
    Taxable: code.taxable,
    TaxGroup: code.salesRates.length + code.purchaseRates.length > 1,
    SalesTaxRateList: list(code.salesRates),
    PurchaseTaxRateList: list(code.purchaseRates),
    domain: 'QBO',
    sparse: false,
    SyncToken: '0',
  };
}

/** A TaxRate as the query endpoint answers it. */
export function renderTaxRate(rate: QuickBooksFakeTaxRate): Record<string, unknown> {
  return {
    Id: rate.id,
    Name: rate.name,
    RateValue: new JsonNumber(rate.rateValue),
    Active: rate.active,
    SpecialTaxType: 'NONE',
    DisplayType: 'ReadOnly',
    domain: 'QBO',
    sparse: false,
    SyncToken: '0',
  };
}
