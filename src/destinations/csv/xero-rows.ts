import type { XeroRegion } from '../xero/xero-config.js';
import { ConfigError } from '../../errors.js';
import { lineTaxCodes, type RenderedEntry, type TaxChart, type TaxFlows } from '../../rules/index.js';
import { formatCents } from '../../money/index.js';
import { xeroTracking, type XeroAccount } from '../xero/xero-payload.js';
import { journalNarration } from '../journal-narration.js';
import { mappedAccount, type AccountMapping } from '../delivery/account-mapping.js';
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
const XERO_DEFAULT_TAX_RATE = 'Tax Exempt';

/**
 * The name Xero gives the no-tax rate (tax type NONE) in each region, which the import matches by name:
 * "Tax Exempt" in the US (help.xero.com/us/Tax-SetDefaults) and in the global edition, "No VAT" in the UK,
 * "BAS Excluded" in Australia (help.xero.com/au/Tax-SetDefaults), "No GST" in New Zealand
 * (eswap.global/help/how-your-default-tax-rate-works lists each region's NONE rate). A region not set gets
 * "Tax Exempt".
 */
const XERO_NO_TAX_RATE: Readonly<Record<XeroRegion, string>> = {
  US: 'Tax Exempt',
  UK: 'No VAT',
  AU: 'BAS Excluded',
  NZ: 'No GST',
};

export function xeroNoTaxRate(region: XeroRegion | undefined): string {
  return region === undefined ? XERO_DEFAULT_TAX_RATE : XERO_NO_TAX_RATE[region];
}

/**
 * One row per line. Rows of one journal share its narration and date, which
 * is how Xero groups them. Amounts are signed numbers, positive debit and
 * negative credit (cents -156n → -1.56), never quoted or prefixed.
 */
export function xeroRows(
  entry: RenderedEntry,
  mapping: AccountMapping<XeroAccount>,
  dateFormat: DateFormat,
  noTaxRate: string = XERO_DEFAULT_TAX_RATE,
  taxRateNames: readonly (string | undefined)[] = [],
): string[][] {
  const narration = guardFormula(journalNarration(entry));
  const date = guardFormula(formatDate(entry.date, dateFormat));
  return entry.lines.map((line, index) => {
    const account = mappedAccount(mapping, line.account, entry.id, 'Xero');
    const [first, second] = xeroTracking(account, line.account);
    return [
      narration,
      date,
      guardFormula(line.description ?? entry.description),
      guardFormula(account.code),
      guardFormula(taxRateNames[index] ?? account.taxRate ?? noTaxRate),
      formatCents(line.cents),
      guardFormula(first?.name ?? ''),
      guardFormula(first?.option ?? ''),
      guardFormula(second?.name ?? ''),
      guardFormula(second?.option ?? ''),
    ];
  });
}

/** xero.yaml's `tax:` flows as the CSV export reads them: the file, the flows and the chart. */
export interface XeroCsvTax {
  file: string;
  flows: TaxFlows;
  chart: TaxChart;
}

/**
 * The TaxRate name of each line a flow codes: the rule's `name`, since the import matches rates by display name,
 * never by code. A coded line whose rule gives no name is refused, naming the key, rather than written with a
 * rate the import would not know: `order_charge: [{ code: REVERSECHARGES, name: "Reverse Charge Expenses (20%)" }]`.
 */
export function xeroTaxRateNames(entry: RenderedEntry, tax: XeroCsvTax | undefined): (string | undefined)[] {
  if (tax === undefined) return [];
  return lineTaxCodes(entry, tax.chart, tax.flows).map((found) => {
    if (found === undefined || found.name !== undefined) return found?.name;
    throw new ConfigError([
      {
        file: tax.file,
        path: `tax.${found.kind}`,
        message:
          `${found.code} has no name: Xero's manual journal import wants the rate's display name (Settings ` +
          `→ Tax rates), e.g. { code: ${found.code}, name: "…" }`,
      },
    ]);
  });
}
