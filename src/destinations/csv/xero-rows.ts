import type { XeroRegion } from '../xero/xero-config.js';
import type { RenderedEntry } from '../../rules/index.js';
import { formatCents } from '../../money/index.js';
import { xeroNarration, xeroTracking, type XeroAccount } from '../xero/xero-payload.js';
import { mappedAccount, type AccountMapping } from './account-mapping.js';
import { formatDate, type DateFormat } from './date-format.js';
import { guardFormula } from './formula-guard.js';

/** Xero's manual journal import template (help.xero.com ManualJournalsImport); * marks the required columns. */
export const XERO_COLUMNS = [
  '*Narration',
  '*Date',
  'Description',
  '*AccountCode',
  '*TaxRate',
  '*Amount',
  'TrackingName1',
  'TrackingOption1',
  'TrackingName2',
  'TrackingOption2',
] as const;

/** TaxRate is required by the import; an account that maps no tax rate name gets the no-tax rate of an organisation whose region is not known. */
export const XERO_DEFAULT_TAX_RATE = 'Tax Exempt';

/**
 * The name Xero gives the no-tax rate (tax type NONE) in each region, which the import matches by name:
 * "Tax Exempt" in the US (help.xero.com/us/Tax-SetDefaults) and in the global edition, "No VAT" in the UK,
 * "BAS Excluded" in Australia (help.xero.com/au/Tax-SetDefaults), "No GST" in New Zealand
 * (eswap.global/help/how-your-default-tax-rate-works lists each region's NONE rate). A region not set gets
 * "Tax Exempt".
 */
export const XERO_NO_TAX_RATE: Readonly<Record<XeroRegion, string>> = { US: 'Tax Exempt', UK: 'No VAT', AU: 'BAS Excluded', NZ: 'No GST' };

export function xeroNoTaxRate(region: XeroRegion | undefined): string {
  return region === undefined ? XERO_DEFAULT_TAX_RATE : XERO_NO_TAX_RATE[region];
}

/**
 * One row per line. Rows of one journal share its narration and date, which
 * is how Xero groups them. Amounts are signed numbers, positive debit and
 * negative credit (cents -156n → -1.56), never quoted or prefixed.
 */
export function xeroRows(entry: RenderedEntry, mapping: AccountMapping<XeroAccount>, dateFormat: DateFormat, noTaxRate: string = XERO_DEFAULT_TAX_RATE): string[][] {
  const narration = guardFormula(xeroNarration(entry));
  const date = guardFormula(formatDate(entry.date, dateFormat));
  return entry.lines.map((line) => {
    const account = mappedAccount(mapping, line.account, entry.id, 'Xero');
    const [first, second] = xeroTracking(account, line.account);
    return [
      narration,
      date,
      guardFormula(line.description ?? entry.description),
      guardFormula(account.code),
      guardFormula(account.taxRate ?? noTaxRate),
      formatCents(line.cents),
      guardFormula(first?.name ?? ''),
      guardFormula(first?.option ?? ''),
      guardFormula(second?.name ?? ''),
      guardFormula(second?.option ?? ''),
    ];
  });
}
