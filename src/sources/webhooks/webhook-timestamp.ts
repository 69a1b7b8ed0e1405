import { isCalendarDate, readIsoDateTime } from '../../calendar/index.js';

/**
 * The ISO 8601 date-times webhooks carry, read by the calendar's one ISO reader
 * (a "T" and an upper-case "Z" only, from 1970). A time without an
 * offset is UTC, as for order dates (DESIGN §4). Every form of one instant
 * normalizes to the same text, so a resend written with another offset is
 * still the same event:
 *
 *   readIsoTimestamp("2026-03-13T22:55:00.50+02:00") → { instant: "2026-03-13T20:55:00.5Z" }
 *   readIsoTimestamp("2026-03-13T20:55Z")            → { instant: "2026-03-13T20:55:00Z" }
 */
const MS_PER_MINUTE = 60_000;

type TimestampReading = { instant: string } | { problem: string };

export function readIsoTimestamp(text: string): TimestampReading {
  const fields = readIsoDateTime(text);
  const { time, zone } = fields ?? {};
  if (!fields || !time || time.separator !== 'T' || (zone?.kind === 'utc' && zone.mark !== 'Z')) {
    return { problem: 'expected an ISO 8601 date-time such as "2026-03-13T20:55:00Z"' };
  }
  const offset = zone?.kind === 'offset' ? zone : { sign: 1, hours: 0, minutes: 0 };
  if (
    fields.year < 1970 ||
    !isCalendarDate(fields.date) ||
    time.hour > 23 ||
    time.minute > 59 ||
    time.second > 59 ||
    offset.hours > 23 ||
    offset.minutes > 59
  ) {
    return { problem: 'not a real date and time' };
  }
  const offsetMinutes = offset.sign * (offset.hours * 60 + offset.minutes);
  const utc = new Date(
    Date.UTC(fields.year, fields.month - 1, fields.day, time.hour, time.minute, time.second) -
      offsetMinutes * MS_PER_MINUTE,
  );
  if (utc.getUTCFullYear() > 9999) return { problem: 'not a real date and time' };
  const seconds = utc.toISOString().slice(0, 19);
  const decimals = time.fraction.replace(/0+$/, '');
  return { instant: `${seconds}${decimals === '' ? '' : `.${decimals}`}Z` };
}
