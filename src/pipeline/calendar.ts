import { addDays, dateInTimeZone, isCalendarDate } from '../calendar/index.js';
import { UsageError } from '../errors.js';

/** The calendar date of `instant` in `timezone`, YYYY-MM-DD. */
export function dateIn(timezone: string, instant: Date): string {
  return dateInTimeZone(timezone)(instant);
}

/** The default as-of date: yesterday in the configured timezone, the last day that has closed. */
export function yesterdayIn(timezone: string, instant: Date): string {
  return addDays(dateIn(timezone, instant), -1);
}

/** A date flag's value, checked: `--as-of 2026-02-30` is refused with the flag's name. */
export function dateFlag(flag: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !isCalendarDate(value)) throw new UsageError(`${flag} must be a calendar date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return value;
}
