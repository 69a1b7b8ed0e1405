/**
 * The one reader of ISO 8601 date and date-time text in ledgerline, never the platform's lenient
 * Date parser (which accepts "March 13" and guesses zones). It reads the fields as written and
 * checks no ranges: each boundary keeps its own rule on what it accepts (webhooks want "T" and an
 * instant after 1970; an orders file also takes a plain date or a space), and both go through here.
 *
 *   readIsoDateTime("2026-03-13T22:55:00.50+02:00")
 *     → { date: "2026-03-13", year: 2026, month: 3, day: 13,
 *         time: { separator: "T", hour: 22, minute: 55, second: 0, fraction: "50" },
 *         zone: { kind: "offset", sign: 1, hours: 2, minutes: 0, minutesWritten: true } }
 */
const ISO_DATE_TIME =
  /^((\d{4})-(\d{2})-(\d{2}))(?:([Tt ])(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

interface IsoDateTimeFields {
  /** The date as written, "YYYY-MM-DD". */
  date: string;
  year: number;
  month: number;
  day: number;
  /** Absent for a plain date; `second` is 0 and `fraction` "" when not written. */
  time?: { separator: string; hour: number; minute: number; second: number; fraction: string };
  /** Absent when no zone is written; an offset as written ("+05:30": sign 1, hours 5, minutes 30). */
  zone?:
    | { kind: 'utc'; mark: string }
    | { kind: 'offset'; sign: 1 | -1; hours: number; minutes: number; minutesWritten: boolean };
}

export function readIsoDateTime(text: string): IsoDateTimeFields | undefined {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return undefined;
  const [
    ,
    date,
    year,
    month,
    day,
    separator,
    hour,
    minute,
    second = '00',
    fraction = '',
    utcMark,
    sign,
    offsetHours,
    offsetMinutes,
  ] = match;
  const fields: IsoDateTimeFields = { date: date!, year: Number(year), month: Number(month), day: Number(day) };
  if (separator !== undefined)
    fields.time = { separator, hour: Number(hour), minute: Number(minute), second: Number(second), fraction };
  if (utcMark !== undefined) fields.zone = { kind: 'utc', mark: utcMark };
  else if (sign !== undefined) {
    fields.zone = {
      kind: 'offset',
      sign: sign === '-' ? -1 : 1,
      hours: Number(offsetHours),
      minutes: Number(offsetMinutes ?? '00'),
      minutesWritten: offsetMinutes !== undefined,
    };
  }
  return fields;
}
