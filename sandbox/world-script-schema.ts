import { z } from 'zod';
import { isCalendarDate } from '../src/calendar/index.js';
import { numberText, parseMicros, roundMicros } from '../src/money/index.js';
import { REFUND_MODES } from './order-refund.js';
import { PANEL_SERVICE_TYPES } from './panel-service.js';
import { UNKNOWN_ORDER_SHAPES } from './world-model.js';

/**
 * A world written by hand, for scenario tests whose ground truth is in the
 * test itself. Every order, top-up, counter and conversion is listed; nothing
 * is random except the life of orders created later through `add`.
 *
 * {
 *   "start": "2026-03-01",
 *   "panel": {
 *     "openingBalance": "100.00",
 *     "refundMode": "keepCharge",
 *     "topUps": [{ "on": "2026-03-03", "amount": "50.00" }],
 *     "orders": [
 *       { "id": "A-1", "service": "1", "quantity": 1000, "placedOn": "2026-03-01",
 *         "timeline": [{ "on": "2026-03-02", "status": "In progress", "remains": 600 },
 *                      { "on": "2026-03-04", "status": "Partial", "remains": 157 }] },
 *       { "id": 77, "service": "3", "posts": 2, "min": 5, "max": 20, "placedOn": "2026-03-02",
 *         "timeline": [{ "on": "2026-03-05", "status": "Completed", "remains": 9 }] }
 *     ]
 *   },
 *   "payelancer": {
 *     "publisher": { "earnings": { "2026-03-01": "1.25", "2026-03-02": "3.75" } },
 *     "advertiser": { "spent": { "2026-03-01": "2.00" } },
 *     "conversions": [{ "campaign_id": "982734A", "ad_id": "459021B", "payout": "2.50", "timestamp": "2026-03-02T20:55:00Z" }]
 *   }
 * }
 */

const IsoDate = z.string().refine(isCalendarDate, 'expected a calendar date YYYY-MM-DD');

function amount(decimals: number) {
  return z.union([z.string(), z.number()]).transform((value, context) => {
    try {
      const micros = parseMicros(typeof value === 'number' ? numberText(value) : value);
      if (roundMicros(micros, decimals) !== micros) throw new RangeError(`more than ${decimals} decimals`);
      return micros;
    } catch (error) {
      context.addIssue({
        code: 'custom',
        message: `expected an amount with at most ${decimals} decimals (${(error as Error).message})`,
      });
      return z.NEVER;
    }
  });
}

const PanelAmount = amount(5);
const AdAmount = amount(6);
const Count = z.number().int().nonnegative();
const Id = z.union([z.string().min(1).max(100), z.number().int().nonnegative()]).transform(String);

const ServiceSchema = z
  .object({
    service: Id,
    name: z.string().min(1),
    type: z.enum(PANEL_SERVICE_TYPES),
    rate: z.union([z.string(), z.number()]).transform((value, context) => {
      try {
        const text = typeof value === 'number' ? numberText(value) : value;
        parseMicros(text);
        return text;
      } catch (error) {
        context.addIssue({ code: 'custom', message: `expected a rate as decimal text (${(error as Error).message})` });
        return z.NEVER;
      }
    }),
    min: z.number().int().positive(),
    max: z.number().int().positive(),
    category: z.string().default('Sandbox'),
    /** Package only: the fixed delivered quantity (default: min). */
    quantity: z.number().int().positive().optional(),
  })
  .strict();

const StepSchema = z
  .object({
    on: IsoDate,
    status: z.string().min(1),
    /** Digits, or any text the panel might print ("+5", "Unknown"); default: 0 when Completed, else the whole quantity. */
    remains: z.union([z.number().int(), z.string()]).transform(String).optional(),
  })
  .strict();

export const OrderSchema = z
  .object({
    id: Id,
    service: Id,
    /** Every type but the packages; a Package defaults to its fixed quantity. */
    quantity: z.number().int().positive().optional(),
    /** Custom Comments Package: quantity = posts × max. */
    posts: z.number().int().positive().optional(),
    min: z.number().int().positive().optional(),
    max: z.number().int().positive().optional(),
    /** Default: what `add` would charge (rate × quantity / 1000, or a Package's flat rate). */
    charge: PanelAmount.optional(),
    placedOn: IsoDate,
    placedAt: z.iso.datetime().optional(),
    startCount: Count.optional(),
    refundMode: z.enum(REFUND_MODES).optional(),
    timeline: z.array(StepSchema).default([]),
    /**
     * Child orders the panel places for this one (a Subscriptions service: a subscription's
     * posts; any other: a drip-feed's runs). Each is an order of this script; the parent is
     * charged nothing, and the children are left out of orders.csv.
     */
    orders: z.array(Id).min(1).optional(),
  })
  .strict();

const CounterSeries = z.record(IsoDate, Count);

export const WorldScriptSchema = z
  .object({
    start: IsoDate,
    /** Seeds the life of orders created through the API (default 1). */
    seed: z.number().int().default(1),
    panel: z
      .object({
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/)
          .default('USD'),
        openingBalance: PanelAmount.optional(),
        refundMode: z.enum(REFUND_MODES).default('lowerCharge'),
        unknownOrderInBatch: z.enum(UNKNOWN_ORDER_SHAPES).default('errorObject'),
        services: z.array(ServiceSchema).min(1).optional(),
        topUps: z.array(z.object({ on: IsoDate, amount: PanelAmount }).strict()).default([]),
        orders: z.array(OrderSchema).default([]),
      })
      .strict()
      .prefault({}),
    payelancer: z
      .object({
        /** Lifetime totals at the close of each listed date; carried forward to later dates, 0 before the first. */
        publisher: z
          .object({
            earnings: z.record(IsoDate, AdAmount),
            impressions: CounterSeries.optional(),
            clicks: CounterSeries.optional(),
          })
          .strict()
          .optional(),
        advertiser: z
          .object({
            spent: z.record(IsoDate, AdAmount),
            impressions: CounterSeries.optional(),
            clicks: CounterSeries.optional(),
          })
          .strict()
          .optional(),
        conversions: z
          .array(
            z
              .object({
                campaign_id: z.string().min(1),
                ad_id: z.string().min(1),
                payout: AdAmount,
                timestamp: z.iso.datetime(),
              })
              .strict(),
          )
          .default([]),
      })
      .strict()
      .optional(),
  })
  .strict();

/** A world script as a test writes it (amounts as text or numbers, ids as text or integers). */
export type WorldScript = z.input<typeof WorldScriptSchema>;
export type ParsedScript = z.output<typeof WorldScriptSchema>;
export type ParsedOrder = z.output<typeof OrderSchema>;
