import { isCalendarDate } from '../../calendar/index.js';
import type { ExportDateFormat } from '../../rules/index.js';

/**
 * How a CSV writes dates. The ledger's dates are ISO (YYYY-MM-DD); import
 * screens want the organisation's locale: Xero's template shows DD/MM/YYYY
 * (its NZ help also accepts "DD MMM YYYY"), QuickBooks Online US shows MM/DD/YYYY. The layouts are the vocabulary's EXPORT_DATE_FORMATS.
 */
export type DateFormat = ExportDateFormat;

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** parseIsoDate("2024-02-29") → { year: 2024, month: 2, day: 29 }; "2025-02-29" and "2026-3-2" → undefined. */
export function parseIsoDate(text: string): CalendarDate | undefined {
  if (!isCalendarDate(text)) return undefined;
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

/** formatDate("2026-03-02", "DD/MM/YYYY") === "02/03/2026"; "DD MMM YYYY" gives "02 Mar 2026". */
export function formatDate(isoDate: string, format: DateFormat): string {
  const date = parseIsoDate(isoDate);
  if (date === undefined) throw new RangeError(`not a calendar date in YYYY-MM-DD form: ${JSON.stringify(isoDate)}`);
  const yyyy = String(date.year).padStart(4, '0');
  const mm = String(date.month).padStart(2, '0');
  const dd = String(date.day).padStart(2, '0');
  switch (format) {
    case 'YYYY-MM-DD':
      return `${yyyy}-${mm}-${dd}`;
    case 'DD/MM/YYYY':
      return `${dd}/${mm}/${yyyy}`;
    case 'MM/DD/YYYY':
      return `${mm}/${dd}/${yyyy}`;
    case 'DD MMM YYYY':
      return `${dd} ${MONTH_NAMES[date.month - 1]!} ${yyyy}`;
    default:
      return unreachable(format);
  }
}

function unreachable(value: never): never {
  throw new RangeError(`unknown date format ${JSON.stringify(value)}`);
}
