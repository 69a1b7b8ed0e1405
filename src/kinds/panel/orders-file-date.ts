import { isCalendarDate, readIsoDateTime } from '../../calendar/index.js';

/** A date written day or month first, with an optional time: "14/03/2026", "3.4.2026 10:30", "03/14/2026 10:30:00". */
const DAY_OR_MONTH_FIRST = /^(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
/** A date written year first with slashes: "2026/03/14". */
const YEAR_FIRST_SLASHED = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** What a common spreadsheet date reads as: ISO 8601 text (no zone, so UTC as the file's ISO dates), or why it cannot be read. */
type CommonDate = { iso: string } | { ambiguous: string } | undefined;

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
      `${text} could be ${a} ${monthName(b)} or ${b} ${monthName(a)}; write it as ${isoText(year, second, first, [])} ` +
      `or ${isoText(year, first, second, [])}`,
  };
}

/** A month's English name: 3 → "March". */
function monthName(month: number): string {
  return new Date(Date.UTC(2000, month - 1)).toLocaleString('en', { month: 'long', timeZone: 'UTC' });
}

function isoText(year: string, month: string, day: string, time: readonly (string | undefined)[]): string {
  const date = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const [hour, minute, second] = time;
  return hour === undefined ? date : `${date}T${hour}:${minute}:${second ?? '00'}`;
}

/** An orders file's created_at as an instant: ISO 8601, or a common spreadsheet form read one way only (commonDate). */
export function fileInstant(text: string): string | undefined {
  const instant = isoInstant(text);
  if (instant !== undefined) return instant;
  const common = commonDate(text);
  return common !== undefined && 'iso' in common ? isoInstant(common.iso) : undefined;
}

/**
 * An ISO 8601 date or date-time as an instant, UTC when it has no offset:
 * "2026-03-02" → "2026-03-02T00:00:00.000Z", "2026-03-02T10:30:00+02:00" → "2026-03-02T08:30:00.000Z".
 * Impossible dates (2026-02-30, 24:00) are refused rather than rolled over.
 */
export function isoInstant(text: string): string | undefined {
  const fields = readIsoDateTime(text);
  if (!fields) return undefined;
  const { year, month, day, time, zone } = fields;
  // A plain date is midnight UTC: checked without a Date, since a file of 100,000 orders repeats it.
  if (!time && year >= 1000) return isCalendarDate(text) ? `${text}T00:00:00.000Z` : undefined;
  // An offset needs its minutes here ("+02:00", "+0200").
  if (zone?.kind === 'offset' && !zone.minutesWritten) return undefined;
  const { hour, minute, second, fraction } = time ?? { hour: 0, minute: 0, second: 0, fraction: '' };
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, Number(fraction.padEnd(3, '0').slice(0, 3)));
  if (new Date(local).getUTCDate() !== day) return undefined;
  let offsetMinutes = 0;
  if (zone?.kind === 'offset') {
    if (zone.hours > 23 || zone.minutes > 59) return undefined;
    offsetMinutes = zone.sign * (zone.hours * 60 + zone.minutes);
  }
  return new Date(local - offsetMinutes * 60_000).toISOString();
}
