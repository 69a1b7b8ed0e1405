import { SANDBOX_REGION_HOMES } from '../src/config/index.js';
import type { QuickBooksFakeOptions } from './quickbooks/fake.js';
import { QUICKBOOKS_AU_TAX_TABLE, QUICKBOOKS_NZ_TAX_TABLE } from './quickbooks/region-tax-tables.js';
import { QUICKBOOKS_UK_TAX_TABLE } from './quickbooks/tax-codes.js';
import type { XeroFakeOptions } from './xero/fake.js';
import { XERO_AU_TAX_RATES, XERO_NZ_TAX_RATES, XERO_UK_TAX_RATES, XERO_US_TAX_RATES } from './xero/tax-rates.js';

/** Where `ledgerline sandbox --region` can place its Xero organisation and QuickBooks company (issue 70). */
export const SANDBOX_REGIONS = Object.keys(SANDBOX_REGION_HOMES) as SandboxRegion[];
export type SandboxRegion = keyof typeof SANDBOX_REGION_HOMES;

/** What a region sets in each fake, and the currency the sandbox's panel reports in (the ledger's, so no rate is needed). */
export interface SandboxRegionSettings {
  currency: string;
  xero: Pick<XeroFakeOptions, 'countryCode' | 'baseCurrency' | 'taxRates' | 'organisationName'>;
  quickbooks: Pick<QuickBooksFakeOptions, 'country' | 'homeCurrency' | 'taxTable' | 'companyName'>;
}

function region(
  home: SandboxRegion,
  country: string,
  name: string,
  xeroRates: XeroFakeOptions['taxRates'],
  taxTable: QuickBooksFakeOptions['taxTable'],
): SandboxRegionSettings {
  const { currency } = SANDBOX_REGION_HOMES[home];
  return {
    currency,
    xero: { countryCode: country, baseCurrency: currency, taxRates: xeroRates, organisationName: `${name} Ltd` },
    quickbooks: { country, homeCurrency: currency, taxTable, companyName: `${name} Company` },
  };
}

/**
 * A rehearsal of a VAT or GST set-up before going live: each fake plays an organisation of the region, its country,
 * currency and the default tax rates the vendor publishes there (UK 20 % OUTPUT2/INPUT2, REVERSECHARGES,
 * ZERORATEDOUTPUT…; AU 10 % OUTPUT/INPUT, EXEMPTOUTPUT, BASEXCLUDED; NZ 15 % OUTPUT2/INPUT2, ZERORATED, NONE; a US
 * company takes no code on a journal). `us` is the sandbox without --region, but for the US rates' names.
 */
export const SANDBOX_REGION_SETTINGS: Readonly<Record<SandboxRegion, SandboxRegionSettings>> = {
  uk: region('uk', 'GB', 'Ledgerline Sandbox UK', XERO_UK_TAX_RATES, QUICKBOOKS_UK_TAX_TABLE),
  au: region('au', 'AU', 'Ledgerline Sandbox AU', XERO_AU_TAX_RATES, QUICKBOOKS_AU_TAX_TABLE),
  nz: region('nz', 'NZ', 'Ledgerline Sandbox NZ', XERO_NZ_TAX_RATES, QUICKBOOKS_NZ_TAX_TABLE),
  us: region('us', 'US', 'Ledgerline Sandbox', XERO_US_TAX_RATES, { rates: [], codes: [] }),
};
