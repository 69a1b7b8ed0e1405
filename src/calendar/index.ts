export { addDays, dayNumber, daysBetween, isCalendarDate, lastDayOfMonth } from './calendar-date.js';
export { dateInTimeZone } from './date-in-time-zone.js';
export { localDateTime } from './local-date-time.js';
