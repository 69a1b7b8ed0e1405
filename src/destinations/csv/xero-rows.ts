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

/** TaxRate is required by the import; an account that maps no tax rate name gets this one. */
export const XERO_DEFAULT_TAX_RATE = 'Tax Exempt';

/**
 * One row per line. Rows of one journal share its narration and date, which
 * is how Xero groups them. Amounts are signed numbers, positive debit and
 * negative credit (cents -156n → -1.56), never quoted or prefixed.
 */
export function xeroRows(entry: RenderedEntry, mapping: AccountMapping<XeroAccount>, dateFormat: DateFormat): string[][] {
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
      guardFormula(account.taxRate ?? XERO_DEFAULT_TAX_RATE),
      formatCents(line.cents),
      guardFormula(first?.name ?? ''),
      guardFormula(first?.option ?? ''),
      guardFormula(second?.name ?? ''),
      guardFormula(second?.option ?? ''),
    ];
  });
}
