import { z } from 'zod';
import { isCalendarDate } from './calendar-date.js';

/** The one zod schema of a "YYYY-MM-DD" date, for every boundary that reads one (stored state, events, findings, config). */
export const CalendarDateSchema = z.string().refine(isCalendarDate, { message: 'expected a calendar date YYYY-MM-DD' });
