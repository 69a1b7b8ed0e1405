import { localDateTime } from './local-date-time.js';

/**
 * A recorded instant as a person reads it: the wall-clock time in the books' time zone, to the minute,
 * with the zone named. readableTime("Asia/Kolkata")("2026-03-13T20:55:00.000Z") === "2026-03-14 02:25 Asia/Kolkata (+05:30)";
 * in UTC, "2026-03-13 20:55 UTC". Text that is not an instant is returned as it is.
 */
export function readableTime(timeZone: string): (instant: string) => string {
  const local = localDateTime(timeZone);
  return (instant) => {
    const parsed = new Date(instant);
    if (Number.isNaN(parsed.getTime())) return instant;
    const written = local(parsed);
    const offset = written.slice(23);
    const zone = offset === 'Z' ? (timeZone === 'UTC' ? 'UTC' : `${timeZone} (+00:00)`) : `${timeZone} (${offset})`;
    return `${written.slice(0, 10)} ${written.slice(11, 16)} ${zone}`;
  };
}
