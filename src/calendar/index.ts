export {
  addDays,
  calendarDateIn,
  calendarDays,
  dayNumber,
  daysBetween,
  fiscalYearOf,
  isCalendarDate,
  lastDayOfMonth,
} from './calendar-date.js';
export { CalendarDateSchema } from './calendar-date-schema.js';
export { dateInTimeZone } from './date-in-time-zone.js';
export { localDateTime } from './local-date-time.js';
export { readIsoDateTime } from './iso-date-time.js';
export { readableTime } from './readable-time.js';
