import { z } from 'zod';
import { CalendarDateSchema } from '../calendar/index.js';
import { MicrosSchema } from './stored-state.js';

/** A finding kind's name as the books keep it: lower snake case, `unknown_order`. */
export const FindingKindSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected lower snake case, e.g. unknown_order');

/** How a next step ends when a person must say what they did: `Check the order at the panel, ${ACKNOWLEDGE_WITH_A_NOTE}.` */
export const ACKNOWLEDGE_WITH_A_NOTE = 'then acknowledge it with a note (ledgerline reconcile ack ID --note "…")';

/**
 * Things reconcile lists for a person to look at (DESIGN §6 `reconcile --json`
 * item kinds). Findings never move money; the events beside them do. The core
 * names no finding kind but the one the pipeline makes itself (quarantined_reply,
 * worded in reads/item-titles.ts); a kind of source declares those it raises, with
 * their words (`SourceKind.findings`), and the registry (src/pipeline/kinds) collects them.
 */
const FindingSchema = z.lazy(() =>
  z.object({
    /** Deterministic: finding:<sourceId>:<kind>:<ref>:<date>, so a re-run reports a finding once. */
    id: z.string().min(1),
    /** A kind the pipeline or the source's kind declares; one no registered kind declares still reads (as its key). */
    kind: FindingKindSchema,
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
