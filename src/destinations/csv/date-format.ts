import { isCalendarDate } from '../../calendar/index.js';
import type { ExportDateFormat } from '../../rules/index.js';

/**
 * How a CSV writes dates. The ledger's dates are ISO (YYYY-MM-DD); import
 * screens want the organisation's locale: Xero's template shows DD/MM/YYYY
 * (its NZ help also accepts "DD MMM YYYY"), QuickBooks Online US shows MM/DD/YYYY. The layouts are the vocabulary's EXPORT_DATE_FORMATS.
 */
export type DateFormat = ExportDateFormat;

/** The months as Xero and the import screens abbreviate them: "02 Mar 2026", "31-Jan-2024". */
export const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** formatDate("2026-03-02", "DD/MM/YYYY") === "02/03/2026"; "DD MMM YYYY" gives "02 Mar 2026". */
export function formatDate(isoDate: string, format: DateFormat): string {
  if (!isCalendarDate(isoDate))
    throw new RangeError(`not a calendar date in YYYY-MM-DD form: ${JSON.stringify(isoDate)}`);
  const [yyyy, mm, dd] = isoDate.split('-') as [string, string, string];
  switch (format) {
    case 'YYYY-MM-DD':
      return `${yyyy}-${mm}-${dd}`;
    case 'DD/MM/YYYY':
      return `${dd}/${mm}/${yyyy}`;
    case 'MM/DD/YYYY':
      return `${mm}/${dd}/${yyyy}`;
    case 'DD MMM YYYY':
      return `${dd} ${MONTH_NAMES[Number(mm) - 1]!} ${yyyy}`;
    default:
      return unreachable(format);
  }
}

function unreachable(value: never): never {
  throw new RangeError(`unknown date format ${JSON.stringify(value)}`);
}
