import type { XeroFakeTaxRate } from './journal-checks.js';

/**
 * A UK organisation's tax rates as Xero publishes them (developer.xero.com, Tax Rates, "United Kingdom": each
 * TaxType, its name and the account classes it can apply to). Codes are case-sensitive and never the names.
 * Rates are in percent as decimal text. A reverse charge shows 20 % (DisplayTaxRate) but its effective rate is
 * 0: its two components, VAT due and VAT reclaimed, cancel, so a line carries no tax amount and the return both
 * legs [U: EffectiveRate 0 is the fake's reading of "net cash effect zero"; the components' names are its own].
 */
const CLASS_COLUMNS = ['ASSET', 'EQUITY', 'EXPENSE', 'LIABILITY', 'REVENUE'] as const;
const REVENUE_SIDE = ['ASSET', 'EQUITY', 'LIABILITY', 'REVENUE'] as const;
const EXPENSE_SIDE = ['ASSET', 'EQUITY', 'EXPENSE', 'LIABILITY'] as const;

export const XERO_UK_TAX_RATES: readonly XeroFakeTaxRate[] = [
  { taxType: 'NONE', name: 'No VAT' },
  { taxType: 'OUTPUT2', name: '20% (VAT on Income)', rate: '20', canApplyTo: REVENUE_SIDE, reportTaxType: 'OUTPUT' },
  { taxType: 'INPUT2', name: '20% (VAT on Expenses)', rate: '20', canApplyTo: EXPENSE_SIDE, reportTaxType: 'INPUT' },
  { taxType: 'RROUTPUT', name: '5% (VAT on Income)', rate: '5', canApplyTo: REVENUE_SIDE, reportTaxType: 'OUTPUT' },
  { taxType: 'RRINPUT', name: '5% (VAT on Expenses)', rate: '5', canApplyTo: EXPENSE_SIDE, reportTaxType: 'INPUT' },
  { taxType: 'ZERORATEDOUTPUT', name: 'Zero Rated Income', canApplyTo: REVENUE_SIDE, reportTaxType: 'OUTPUT' },
  { taxType: 'ZERORATEDINPUT', name: 'Zero Rated Expenses', canApplyTo: EXPENSE_SIDE, reportTaxType: 'INPUT' },
  { taxType: 'EXEMPTOUTPUT', name: 'Exempt Income', canApplyTo: REVENUE_SIDE, reportTaxType: 'EXEMPTOUTPUT' },
  { taxType: 'EXEMPTINPUT', name: 'Exempt Expenses', canApplyTo: EXPENSE_SIDE, reportTaxType: 'EXEMPTINPUT' },
  {
    taxType: 'ECZROUTPUTSERVICES',
    name: 'Zero Rated EC Services',
    canApplyTo: REVENUE_SIDE,
    reportTaxType: 'ECOUTPUTSERVICES',
  },
  {
    taxType: 'REVERSECHARGES',
    name: 'Reverse Charge Expenses (20%)',
    rate: '0',
    displayRate: '20',
    canApplyTo: EXPENSE_SIDE,
    reportTaxType: 'REVERSECHARGES',
    components: [
      { name: 'VAT due on reverse charge', rate: '20' },
      { name: 'VAT reclaimed on reverse charge', rate: '-20' },
    ],
  },
  { taxType: 'GSTONIMPORTS', name: 'VAT on Imports', canApplyTo: ['LIABILITY'], reportTaxType: 'GSTONIMPORTS' },
  // 17.5 % until 3 January 2011: a rate an old organisation still lists, no longer active.
  {
    taxType: 'INPUT',
    name: '17.5% (VAT on Expenses)',
    rate: '17.5',
    canApplyTo: EXPENSE_SIDE,
    reportTaxType: 'INPUT',
    status: 'ARCHIVED',
  },
];

/**
 * One row of Xero's published table of default rates (developer.xero.com, Tax Rates, "Tax Rate Constraints"):
 * its flags in the table's column order, Assets, Equity, Expenses, Liabilities, Revenue ("11110": all but revenue).
 */
function published(taxType: string, name: string, flags: string, rate?: string): XeroFakeTaxRate {
  const canApplyTo = CLASS_COLUMNS.filter((_, index) => flags[index] === '1');
  return { taxType, name, canApplyTo, ...(rate === undefined ? {} : { rate }) };
}

/** An Australian organisation's default rates (GST 10 %): BAS Excluded is its no-tax rate. */
export const XERO_AU_TAX_RATES: readonly XeroFakeTaxRate[] = [
  published('BASEXCLUDED', 'BAS Excluded', '11111'),
  published('EXEMPTCAPITAL', 'GST Free Capital', '11110'),
  published('EXEMPTEXPENSES', 'GST Free Expenses', '11110'),
  published('EXEMPTEXPORT', 'GST Free Exports', '11011'),
  published('EXEMPTOUTPUT', 'GST Free Income', '11011'),
  published('CAPEXINPUT', 'GST on Capital', '11110', '10'),
  published('GSTONCAPIMPORTS', 'GST on Capital Imports', '00010'),
  published('INPUT', 'GST on Expenses', '11110', '10'),
  published('GSTONIMPORTS', 'GST on Imports', '00010'),
  published('OUTPUT', 'GST on Income', '11011', '10'),
  published('INPUTTAXED', 'Input Taxed', '11111'),
];

/** A New Zealand organisation's default rates (GST 15 %; INPUT and OUTPUT are the 12.5 % rates before October 2010 [U: their rate]). */
export const XERO_NZ_TAX_RATES: readonly XeroFakeTaxRate[] = [
  published('INPUT', 'GST on Expenses', '11111', '12.5'),
  published('OUTPUT', 'GST on Income', '11011', '12.5'),
  published('INPUT2', 'GST on Expenses', '11110', '15'),
  published('OUTPUT2', 'GST on Income', '11011', '15'),
  published('GSTONIMPORTS', 'GST on Imports', '11010'),
  published('NONE', 'No GST', '11111'),
  published('ZERORATED', 'Zero Rated', '00011'),
];

/** A US organisation's default rates: sales tax rates are the organisation's own, so these carry 0 %. */
export const XERO_US_TAX_RATES: readonly XeroFakeTaxRate[] = [
  published('AVALARA', 'Auto Look Up (DO NOT USE)', '11111'),
  published('GSTONIMPORTS', 'Sales Tax on Imports', '00010'),
  published('NONE', 'Tax Exempt', '11111'),
  published('OUTPUT', 'Tax on Sales', '11111'),
  published('INPUT', 'Tax on Purchases', '11111'),
];
