import { z } from 'zod';
import { CalendarDateSchema } from '../calendar/index.js';
import { DaySequenceSchema } from './event-id.js';
import { MicrosSchema } from './stored-state.js';

/** Which lifetime counter a key reports, from the stats reply's `role`. */
const COUNTER_ROLES = ['publisher', 'advertiser'] as const;
export type CounterRole = (typeof COUNTER_ROLES)[number];

/** The counter at the last close taken, kept per source between syncs. */
export const CounterStateSchema = z.object({
  role: z.enum(COUNTER_ROLES),
  valueMicros: MicrosSchema,
  date: CalendarDateSchema,
  eventSequence: DaySequenceSchema.optional(),
});
export type CounterState = z.infer<typeof CounterStateSchema>;
