import { z } from 'zod';
import { isCalendarDate } from '../calendar/index.js';

/**
 * The domain's words, each defined once: payout methods and schedule, granularities, the accounts the code itself names, export date
 * layouts and the defaults. The config schema, the rules, the ledger and the
 * destinations import these; test/rules/vocabulary.test.ts fails on a second
 * definition.
 */

/**
 * An event kind: one a registered source kind books by the chart file's own rules (its vocabulary's `books`), or one
 * a configured source kind declares with its rule (its vocabulary's `events`, src/config/config-kinds.ts). The kinds
 * name their own; this core names none.
 */
export type EventKind = string;
/** How an event kind is spelt, built-in or declared: lower-case letters, digits and _, starting with a letter. */
export const EVENT_KIND_KEY = /^[a-z][a-z0-9_]*$/;

export const PAYOUT_METHODS = ['paypal', 'razorpay', 'wire'] as const;
export type PayoutMethod = (typeof PAYOUT_METHODS)[number];

/** payoutEventKind("wire") → "payout_wire". */
export function payoutEventKind(method: PayoutMethod): EventKind {
  return `payout_${method}`;
}

/** The network's published minimum payout, $50.00 (configurable per source or globally). */
export const DEFAULT_PAYOUT_MINIMUM_MICROS = 50_000_000n;

/** The first and last day of the month a schedule may name; a day past a short month's end pays on its last day. */
const PAYOUT_DAY_RANGE = { min: 1, max: 31 } as const;

/**
 * When the network pays: on every month's last day, on a day of the month
 * (31 pays on 28 February, 30 April and 31 May), or on explicit dates
 * (ascending, each once).
 */
export type PayoutSchedule =
  { kind: 'month-end' } | { kind: 'day-of-month'; day: number } | { kind: 'dates'; dates: string[] };

export const DEFAULT_PAYOUT_SCHEDULE: PayoutSchedule = { kind: 'month-end' };

/** A day of the month, also as text from `${VAR}` (schedule: ${PAYOUT_DAY}). */
const dayOfMonth = () =>
  z.preprocess(
    (value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
    z
      .int(`must be a whole number from ${PAYOUT_DAY_RANGE.min} to ${PAYOUT_DAY_RANGE.max}`)
      .min(PAYOUT_DAY_RANGE.min, `must be at least ${PAYOUT_DAY_RANGE.min}`)
      .max(PAYOUT_DAY_RANGE.max, `must be at most ${PAYOUT_DAY_RANGE.max}`),
  );

/**
 * The YAML forms of a schedule, read into a PayoutSchedule: `month-end`,
 * `15` (or "15") → day 15, `[2026-06-10, 2026-03-15, 2026-03-15]` → dates
 * 2026-03-15, 2026-06-10. Built at its first parse: a command whose configuration check was kept builds none of it.
 */
export const PayoutScheduleSchema: z.ZodType<PayoutSchedule, unknown> = z.lazy(() =>
  z.union(
    [
      z.literal('month-end').transform(() => ({ kind: 'month-end' as const })),
      dayOfMonth().transform((day) => ({ kind: 'day-of-month' as const, day })),
      z
        .array(z.string().refine(isCalendarDate, 'must be a date written YYYY-MM-DD'))
        .min(1)
        .transform((dates) => ({ kind: 'dates' as const, dates: [...new Set(dates)].sort() })),
    ],
    {
      error: `must be "month-end", a day of the month (${PAYOUT_DAY_RANGE.min}–${PAYOUT_DAY_RANGE.max}) or a list of dates written YYYY-MM-DD`,
    },
  ),
);

/** `day`: one journal entry per source and day; `event`: one per event. */
export const GRANULARITIES = ['day', 'event'] as const;
export type Granularity = (typeof GRANULARITIES)[number];
export const DEFAULT_GRANULARITY: Granularity = 'day';

/** The chart account that takes the cent residue a rendered entry needs to balance (DESIGN §2); every chart must have it. */
export const ROUNDING_ACCOUNT = 'rounding';
/** The origin of the journal entries a person books with `ledgerline adjust`, in place of a configured source's id. */
export const ADJUSTMENT_SOURCE_ID = 'adjustments';
/** What the bank kept of a payout or added to a top-up, booked when a person accepts the difference (`transit accept`). */
export const BANK_FEES_ACCOUNT = 'bank_fees';

/** The date layouts the CSV export can write; Xero's import reads DD/MM/YYYY, a US QuickBooks company MM/DD/YYYY. */
export const EXPORT_DATE_FORMATS = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD MMM YYYY'] as const;
export type ExportDateFormat = (typeof EXPORT_DATE_FORMATS)[number];
