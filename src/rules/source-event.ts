import { z } from 'zod';
import { EVENT_KIND_KEY } from './vocabulary.js';
import { CalendarDateSchema } from '../calendar/index.js';
import { MicrosSchema } from './stored-state.js';

/**
 * One accounting fact found in a source, before it is journalized: what
 * happened (kind), how much (a positive magnitude; the kind gives the
 * direction), on which date, and the facts behind it in words.
 */
export const SourceEventSchema = z.lazy(() =>
  z.object({
    /** Deterministic, e.g. "panel:smm-panel:order:23501:refund:2026-03-02": a replay yields the same id. */
    id: z.string().min(1),
    sourceId: z.string().min(1),
    /** One its source's kind books by the chart file's rules or declares; the chart in force has a rule for each. */
    kind: z.string().regex(EVENT_KIND_KEY, 'an event kind is lower-case letters, digits and _'),
    date: CalendarDateSchema,
    currency: z.string().min(1),
    amountMicros: MicrosSchema.refine((micros) => micros > 0n, 'an event amount is a positive magnitude'),
    /** What the event is about: an order id, a payout date, a counter window. */
    ref: z.string(),
    /** Human-readable facts: status, remains, quantity, computed: "pro-rata", … */
    detail: z.record(z.string(), z.string()),
  }),
);
export type SourceEvent = z.infer<typeof SourceEventSchema>;
