import { z } from 'zod';
import { CalendarDateSchema } from '../../../calendar/index.js';
import { DaySequenceSchema, MicrosSchema } from '../../../rules/index.js';
import { ORDER_STATUSES } from './order-status.js';

/**
 * What the ledger has booked for one panel order, carried from one
 * observation to the next (the pipeline stores it with toStoredJson and reads
 * it back with this schema).
 */
export const OrderLedgerStateSchema = z.lazy(() =>
  z.object({
    orderId: z.string().min(1),
    /** The order's currency, from its first status reply; undefined while the panel has never answered for it. */
    currency: z.string().min(1).optional(),
    /** Net charge expensed so far (for a baseline order: what was already inside the opening balance). */
    bookedNetMicros: MicrosSchema,
    /** The charge reported at first sight: a later terminal reply still showing it has not reflected a refund. */
    firstChargeMicros: MicrosSchema.optional(),
    statusNormalized: z.enum(ORDER_STATUSES).optional(),
    statusRaw: z.string().optional(),
    /** Completed, Partial, Canceled or Failed: not polled again unless a backfill asks. */
    terminal: z.boolean(),
    /** First seen during the panel's baseline sync. */
    baseline: z.boolean(),
    /** First date the panel answered "unknown" for it, since it last answered with a status. */
    unknownSince: CalendarDateSchema.optional(),
    /** Date of the latest observation applied; an older one (a late webhook, a replay) is ignored. */
    lastObservedOn: CalendarDateSchema,
    /**
     * The day its first charge was booked: a refund's original date, whose tax rule codes it (issue 70); none for a
     * baseline order. Before eventSequence, as orderEvents' literal has it, so a kept state reads back in the order
     * it was folded in and a replay's (eventSequence last) stores the same text.
     */
    chargedOn: CalendarDateSchema.optional(),
    eventSequence: DaySequenceSchema.optional(),
  }),
);
export type OrderLedgerState = z.infer<typeof OrderLedgerStateSchema>;
