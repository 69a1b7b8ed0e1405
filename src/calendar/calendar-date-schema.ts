import { z } from 'zod';
import { isCalendarDate } from './calendar-date.js';

/**
 * The one zod schema of a "YYYY-MM-DD" date, for every boundary that reads one (stored state,
 * events, findings, config). `message` lets a boundary word the problem as its readers expect.
 */
export function calendarDateSchemaSaying(message = 'expected a calendar date YYYY-MM-DD') {
  return z.string().refine(isCalendarDate, { message });
}

export const CalendarDateSchema = calendarDateSchemaSaying();
