import { dateInTimeZone, isCalendarDate } from '../../calendar/index.js';

/**
 * The ISO 8601 date-times webhooks carry, read without the platform's lenient
 * Date parser (which accepts "March 13" and guesses zones). A time without an
 * offset is UTC, as for order dates (DESIGN §4). Every form of one instant
 * normalizes to the same text, so a resend written with another offset is
 * still the same event:
 *
 *   readIsoTimestamp("2026-03-13T22:55:00.50+02:00") → { instant: "2026-03-13T20:55:00.5Z" }
 *   readIsoTimestamp("2026-03-13T20:55Z")            → { instant: "2026-03-13T20:55:00Z" }
 */
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const MS_PER_MINUTE = 60_000;

export type TimestampReading = { instant: string } | { problem: string };

export function readIsoTimestamp(text: string): TimestampReading {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return { problem: 'expected an ISO 8601 date-time such as "2026-03-13T20:55:00Z"' };
  const [, year, month, day, hour, minute, second = '00', fraction = '', , offsetSign, offsetHours = '00', offsetMinutes = '00'] = match;
  const [y, mo, d, h, mi] = [year, month, day, hour, minute].map(Number) as [number, number, number, number, number];
  const s = Number(second);
  const offset = Number(offsetHours) * 60 + Number(offsetMinutes);
  if (y < 1970 || !isCalendarDate(`${year}-${month}-${day}`) || h > 23 || mi > 59 || s > 59 || Number(offsetHours) > 23 || Number(offsetMinutes) > 59) {
    return { problem: 'not a real date and time' };
  }
  const utc = new Date(Date.UTC(y, mo - 1, d, h, mi, s) - (offsetSign === '-' ? -offset : offset) * MS_PER_MINUTE);
  if (utc.getUTCFullYear() > 9999) return { problem: 'not a real date and time' };
  const seconds = utc.toISOString().slice(0, 19);
  const decimals = fraction.replace(/0+$/, '');
  return { instant: `${seconds}${decimals === '' ? '' : `.${decimals}`}Z` };
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
