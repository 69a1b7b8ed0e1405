import { z } from 'zod';
import { CalendarDateSchema } from '../calendar/index.js';
import { MicrosSchema } from './stored-state.js';

/**
 * Things reconcile lists for a person to look at (DESIGN §6 `reconcile --json`
 * item kinds). Findings never move money; the events beside them do.
 */
export const FINDING_KINDS = [
  'balance_rise',
  'balance_fall',
  'counter_vs_conversions',
  'payout_carried_forward',
  'clawback',
  'unknown_order',
  'unknown_status',
  /** Made by the pipeline when a reply is quarantined, never by the rules. */
  'quarantined_reply',
  'computed_refund',
  'refund_not_computable',
  'charge_while_voided',
  /** An order reported in another currency than before: nothing converted, nothing booked. */
  'currency_changed',
  /** An ad-network key now reports the other role's counter: a new baseline was taken. */
  'counter_role_changed',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const FindingSchema = z.lazy(() =>
  z.object({
    /** Deterministic: finding:<sourceId>:<kind>:<ref>:<date>, so a re-run reports a finding once. */
    id: z.string().min(1),
    kind: z.enum(FINDING_KINDS),
    sourceId: z.string().min(1),
    date: CalendarDateSchema,
    /** A magnitude (the message says in which direction). */
    amountMicros: MicrosSchema.optional(),
    currency: z.string().optional(),
    ref: z.string(),
    message: z.string(),
  }),
);
export type Finding = z.infer<typeof FindingSchema>;

export function finding(fields: Omit<Finding, 'id'>): Finding {
  return { id: `finding:${fields.sourceId}:${fields.kind}:${fields.ref}:${fields.date}`, ...fields };
}
