import { z } from 'zod';
import { isCalendarDate } from '../calendar/index.js';

/** A "YYYY-MM-DD" date in the rules' state and events; the arithmetic on dates lives in src/calendar. */
export const CalendarDateSchema = z.string().refine(isCalendarDate, { message: 'expected a calendar date YYYY-MM-DD' });
