import type { RenderedEntry } from '../../rules/index.js';
import { formatCents } from '../../money/index.js';
import { quickbooksDocNumber, quickbooksItemName, type QuickbooksAccount } from '../quickbooks/quickbooks-payload.js';
import { mappedAccount, type AccountMapping } from '../delivery/account-mapping.js';
import { formatDate, type DateFormat } from './date-format.js';
import { guardFormula } from './formula-guard.js';

/** The columns QuickBooks Online's journal import asks for; Currency, Class and Location follow only when the export uses them. */
const QUICKBOOKS_BASE_COLUMNS = [
  'Journal No',
  'Journal Date',
  'Account Name',
  'Debits',
  'Credits',
  'Description',
  'Name',
] as const;

/**
 * Which optional columns one export has, decided before its first row:
 * Class / Location when any account of the mapping sets one (QuickBooks
 * imports them only with class / location tracking turned on, so a company
 * that maps none never sees them); Currency when the caller asks for it
 * (a multicurrency company exporting more than its home currency).
 */
interface QuickbooksLayout {
  currency: boolean;
  class: boolean;
  location: boolean;
  /** A Tax Code column, last: when quickbooks.yaml codes flows for tax (issue 54). */
  taxCode: boolean;
}

export function quickbooksLayout(
  mapping: AccountMapping<QuickbooksAccount>,
  currencyColumn: boolean,
  taxCodeColumn = false,
): QuickbooksLayout {
  const accounts = Object.values(mapping);
  return {
    currency: currencyColumn,
    class: accounts.some((account) => account.class !== undefined),
    location: accounts.some((account) => account.location !== undefined),
    taxCode: taxCodeColumn,
  };
}

export function quickbooksColumns(layout: QuickbooksLayout): string[] {
  return [
    ...QUICKBOOKS_BASE_COLUMNS,
    ...(layout.currency ? ['Currency'] : []),
    ...(layout.class ? ['Class'] : []),
    ...(layout.location ? ['Location'] : []),
    ...(layout.taxCode ? ['Tax Code'] : []),
  ];
}

/**
 * One row per line: Journal No is quickbooksDocNumber (the API's DocNumber,
 * so a journal imported by hand and one posted carry the same number), the
 * account by its full name, the amount in Debits or Credits (cents -156n →
 * Credits "1.56"), Name the customer or vendor the account maps (the import
 * wants one on Accounts Receivable and Payable lines), else the source's
 * QuickBooks name when one is given.
 */
export function quickbooksRows(
  entry: RenderedEntry,
  mapping: AccountMapping<QuickbooksAccount>,
  layout: QuickbooksLayout,
  dateFormat: DateFormat,
  sourceName: string,
  taxCodes: readonly (string | undefined)[] = [],
): string[][] {
  const journalNo = guardFormula(quickbooksDocNumber(entry));
  const date = guardFormula(formatDate(entry.date, dateFormat));
  const name = guardFormula(sourceName);
  return entry.lines.map((line, index) => {
    const account = mappedAccount(mapping, line.account, entry.id, 'QuickBooks');
    const amount = formatCents(line.cents < 0n ? -line.cents : line.cents);
    return [
      journalNo,
      date,
      guardFormula(account.name),
      line.cents > 0n ? amount : '',
      line.cents < 0n ? amount : '',
      guardFormula(line.description ?? entry.description),
      (account.customer ?? account.vendor)
        ? guardFormula(quickbooksItemName(account.customer ?? account.vendor))
        : name,
      ...(layout.currency ? [guardFormula(line.currency)] : []),
      ...(layout.class ? [guardFormula(quickbooksItemName(account.class))] : []),
      ...(layout.location ? [guardFormula(quickbooksItemName(account.location))] : []),
      ...(layout.taxCode ? [guardFormula(taxCodes[index] ?? '')] : []),
    ];
  });
}
