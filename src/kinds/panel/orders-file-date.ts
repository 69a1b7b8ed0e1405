/** A date written day or month first, with an optional time: "14/03/2026", "3.4.2026 10:30", "03/14/2026 10:30:00". */
const DAY_OR_MONTH_FIRST = /^(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
/** A date written year first with slashes: "2026/03/14". */
const YEAR_FIRST_SLASHED = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** What a common spreadsheet date reads as: ISO 8601 text (no zone, so UTC as the file's ISO dates), or why it cannot be read. */
export type CommonDate = { iso: string } | { ambiguous: string } | undefined;

/**
 * The date forms spreadsheets and shop exports write, as ISO text for isoInstant to check. Dots and dashes
 * are day first (14.03.2026, 14-03-2026); with slashes the date is read only when one way is possible:
 * 14/03/2026 is 14 March (there is no month 14), 03/14/2026 is 14 March too, 04/04/2026 is 4 April, and
 * 03/04/2026 could be 3 April or 4 March, so it is refused for the person to write 2026-04-03 or 2026-03-04.
 */
export function commonDate(text: string): CommonDate {
  const yearFirst = YEAR_FIRST_SLASHED.exec(text);
  if (yearFirst) return { iso: isoText(yearFirst[1]!, yearFirst[2]!, yearFirst[3]!, yearFirst.slice(4)) };
  const match = DAY_OR_MONTH_FIRST.exec(text);
  if (!match) return undefined;
  const [, first, separator, second, year] = match as unknown as [string, string, string, string, string];
  const time = match.slice(5);
  const [a, b] = [Number(first), Number(second)];
  if (separator !== '/' || a > 12 || a === b) return { iso: isoText(year, second, first, time) };
  if (b > 12) return { iso: isoText(year, first, second, time) };
  return {
    ambiguous:
      `${text} could be ${a} ${MONTHS[b - 1]} or ${b} ${MONTHS[a - 1]}; write it as ${isoText(year, second, first, [])} ` +
      `or ${isoText(year, first, second, [])}`,
  };
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function isoText(year: string, month: string, day: string, time: readonly (string | undefined)[]): string {
  const date = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const [hour, minute, second] = time;
  return hour === undefined ? date : `${date}T${hour}:${minute}:${second ?? '00'}`;
}
