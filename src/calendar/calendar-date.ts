import { dateInTimeZone } from './date-in-time-zone.js';

/**
 * Calendar dates as ledgerline writes them, "YYYY-MM-DD": no time, no zone.
 * Arithmetic goes through day numbers (days since 1970-01-01, UTC), so it is
 * exact and never depends on the machine's timezone or on summer time.
 */
const MS_PER_DAY = 86_400_000;

/**
 * isCalendarDate("2024-02-29") === true; "2026-02-29", "2026-3-1" and
 * "2026-03-01T00:00:00Z" are not. Years 0000–0099 are refused too: Date.UTC
 * reads them as 1900–1999, and no date the ledger meets is that old.
 */
export function isCalendarDate(text: string): boolean {
  // Read by character codes: a regular expression's match made an array and three strings a date, and a statement checks one a line.
  if (text.length !== 10 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return false;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  // Every month has 28 days: only a later day asks which month it is (each order's stored state holds two dates).
  return year >= 100 && month >= 1 && month <= 12 && day >= 1 && (day <= 28 || day <= daysInMonth(year, month));
}

const DASH = 0x2d;

/** The number the ASCII digits from `start` to `end` write, or -1 when one is not a digit. */
function digitsAt(text: string, start: number, end: number): number {
  let value = 0;
  for (let index = start; index < end; index += 1) {
    const digit = text.charCodeAt(index) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** A date's year, month and day, or undefined when it is not a calendar date: read by arithmetic rather than a Date round trip. */
function dateParts(text: string): [number, number, number] | undefined {
  if (!isCalendarDate(text)) return undefined;
  return [Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10))];
}

/** Proleptic Gregorian, as Date.UTC counts: daysInMonth(2024, 2) === 29, daysInMonth(1900, 2) === 28. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** dayNumber("1970-01-02") === 1; a RangeError for anything that is not a calendar date. */
export function dayNumber(date: string): number {
  const parts = dateParts(date);
  if (parts === undefined) throw new RangeError(`not a calendar date YYYY-MM-DD: ${JSON.stringify(date)}`);
  return Date.UTC(parts[0], parts[1] - 1, parts[2]) / MS_PER_DAY;
}

function fromDayNumber(days: number): string {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** addDays("2026-02-27", 2) === "2026-03-01". */
export function addDays(date: string, days: number): string {
  return fromDayNumber(dayNumber(date) + days);
}

/**
 * Every day from `from` to `to`, both included, in order (none when `to` is earlier), counted on the
 * calendar rather than through a Date per day (a year's console page asks for 365):
 * calendarDays("2024-02-28", "2024-03-01") → ["2024-02-28", "2024-02-29", "2024-03-01"].
 */
export function calendarDays(from: string, to: string): string[] {
  const parts = dateParts(from);
  if (parts === undefined) throw new RangeError(`not a calendar date YYYY-MM-DD: ${JSON.stringify(from)}`);
  let [year, month, day] = parts;
  const days: string[] = [];
  for (let count = daysBetween(from, to); count >= 0; count -= 1) {
    days.push(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
    if (day < daysInMonth(year, month)) day += 1;
    else if (month < 12) [month, day] = [month + 1, 1];
    else [year, month, day] = [year + 1, 1, 1];
  }
  return days;
}

/** daysBetween("2026-03-01", "2026-03-08") === 7 (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** lastDayOfMonth(2026, 2) === "2026-02-28"; months are 1–12. */
export function lastDayOfMonth(year: number, month: number): string {
  return fromDayNumber(Date.UTC(year, month, 0) / MS_PER_DAY);
}

/**
 * The calendar date of a normalized instant in a time zone, "YYYY-MM-DD":
 * calendarDateIn("Asia/Kolkata")("2026-03-13T20:55:00Z") === "2026-03-14".
 * Returns a function so that one formatter serves a whole scan of stored rows.
 */
export function calendarDateIn(timeZone: string): (instant: string) => string {
  // A normalized instant is UTC text already: its first ten characters are the UTC date.
  if (timeZone === 'UTC') return (instant) => instant.slice(0, 10);
  const dateOf = dateInTimeZone(timeZone);
  return (instant) => dateOf(new Date(instant));
}

/**
 * The fiscal year that holds `date`, for a year ending each year on `yearEnd` ("MM-DD"): for "12-31" the calendar
 * year; fiscalYearOf("2026-03-15", "06-30") is 2025-07-01…2026-06-30, and of "2026-07-01" 2026-07-01…2027-06-30.
 * A year ending on "02-28" ends on the 29th in a leap year (the month's last day).
 */
export function fiscalYearOf(date: string, yearEnd: string): { start: string; end: string } {
  const [month, day] = yearEnd.split('-').map(Number) as [number, number];
  const year = Number(date.slice(0, 4));
  const endIn = (y: number): string => {
    const last = lastDayOfMonth(y, month);
    return month === 2 && day >= 28 ? last : `${y}-${yearEnd}`;
  };
  const end = date <= endIn(year) ? endIn(year) : endIn(year + 1);
  return { start: addDays(endIn(Number(end.slice(0, 4)) - 1), 1), end };
}
