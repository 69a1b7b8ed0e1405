import type { QuickBooksFakeTaxCode, QuickBooksFakeTaxTable } from './tax-codes.js';

/** A code whose sales and purchase lists hold the same one rate. */
function both(id: string, name: string, description: string, rate: string): QuickBooksFakeTaxCode {
  return { id, name, description, active: true, taxable: rate !== '0', salesRates: [rate], purchaseRates: [rate] };
}

/**
 * An Australian company's default GST codes, as QuickBooks Online lists them under Taxes (10 % GST; GST free;
 * exports; input taxed; not reportable, the BAS Excluded of QuickBooks). Names as QuickBooks shows them; ids and
 * which codes a new company starts with are the fake's own [U].
 */
export const QUICKBOOKS_AU_TAX_TABLE: QuickBooksFakeTaxTable = {
  rates: [
    { id: '1', name: 'GST (sales)', rateValue: '10', active: true },
    { id: '2', name: 'GST (purchases)', rateValue: '10', active: true },
    { id: '3', name: 'GST free', rateValue: '0', active: true },
    { id: '4', name: 'Input taxed', rateValue: '0', active: true },
    { id: '5', name: 'Not reportable', rateValue: '0', active: true },
  ],
  codes: [
    { ...both('2', 'GST', 'GST 10%', '1'), purchaseRates: ['2'] },
    both('4', 'FRE', 'GST free', '3'),
    both('6', 'EXP', 'GST free exports', '3'),
    both('8', 'INP', 'Input taxed', '4'),
    both('10', 'N-T', 'Not reportable', '5'),
  ],
};

/** A New Zealand company's default GST codes (15 % GST, zero-rated, exempt, no GST); ids the fake's own [U]. */
export const QUICKBOOKS_NZ_TAX_TABLE: QuickBooksFakeTaxTable = {
  rates: [
    { id: '1', name: 'GST 15% (sales)', rateValue: '15', active: true },
    { id: '2', name: 'GST 15% (purchases)', rateValue: '15', active: true },
    { id: '3', name: 'Zero-rated', rateValue: '0', active: true },
    { id: '4', name: 'Exempt', rateValue: '0', active: true },
    { id: '5', name: 'No GST', rateValue: '0', active: true },
  ],
  codes: [
    { ...both('2', 'GST 15%', 'GST 15%', '1'), purchaseRates: ['2'] },
    both('4', 'Zero-rated', 'Zero-rated', '3'),
    both('6', 'Exempt', 'Exempt', '4'),
    both('10', 'No GST', 'Out of scope of GST', '5'),
  ],
};
