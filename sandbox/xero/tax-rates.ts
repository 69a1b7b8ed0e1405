import type { XeroFakeTaxRate } from './journal-checks.js';

/**
 * A UK organisation's tax rates as Xero publishes them (developer.xero.com, Tax Rates, "United Kingdom": each
 * TaxType, its name and the account classes it can apply to). Codes are case-sensitive and never the names.
 * Rates are in percent as decimal text. A reverse charge shows 20 % (DisplayTaxRate) but its effective rate is
 * 0: its two components, VAT due and VAT reclaimed, cancel, so a line carries no tax amount and the return both
 * legs [U: EffectiveRate 0 is the fake's reading of "net cash effect zero"; the components' names are its own].
 */
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
  { taxType: 'ECZROUTPUTSERVICES', name: 'Zero Rated EC Services', canApplyTo: REVENUE_SIDE, reportTaxType: 'ECOUTPUTSERVICES' },
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
  { taxType: 'INPUT', name: '17.5% (VAT on Expenses)', rate: '17.5', canApplyTo: EXPENSE_SIDE, reportTaxType: 'INPUT', status: 'ARCHIVED' },
];
