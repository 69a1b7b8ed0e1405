import { z } from 'zod';
import { isCalendarDate } from '../src/calendar/index.js';
import { ConfigError, type ConfigProblem } from '../src/errors.js';
import { numberText, parseMicros, roundMicros, sumMicros } from '../src/money/index.js';
import { REFUND_MODES, statusClass } from './order-refund.js';
import {
  orderCharge,
  panelService,
  PANEL_SERVICE_TYPES,
  STANDARD_SERVICES,
  type PanelService,
} from './panel-service.js';
import { createWorld, type World } from './sandbox-world.js';
import {
  UNKNOWN_ORDER_SHAPES,
  type AdCounters,
  type Conversion,
  type DayPlan,
  type OrderStep,
  type PlannedOrder,
  type PublisherDayKind,
  type TopUp,
  type WorldSource,
} from './world-model.js';

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

const OrderSchema = z
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
type ParsedScript = z.output<typeof WorldScriptSchema>;
type ParsedOrder = z.output<typeof OrderSchema>;

/**
 * The world a script describes. Every problem in the script is reported at
 * once as a ConfigError naming `origin` and the path of the bad field.
 */
export function scriptedWorld(script: unknown, origin = 'world script'): World {
  const parsed = WorldScriptSchema.safeParse(script);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        file: origin,
        path: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    );
  }
  const problems: ConfigProblem[] = [];
  const source = scriptSource(parsed.data, (path, message) => problems.push({ file: origin, path, message }));
  if (problems.length > 0) throw new ConfigError(problems);
  return createWorld(source);
}

type Problem = (path: string, message: string) => void;

function scriptSource(script: ParsedScript, problem: Problem): WorldSource {
  const { start, panel } = script;
  const services = scriptServices(panel, problem);
  const { ordersByDate, seenIds } = scriptOrders(script, services, problem);
  const topUpsByDate = scriptTopUps(panel, start, problem);
  const { conversionsByDate, publisher, advertiser } = scriptAd(script, problem);
  const zero: AdCounters = { impressions: 0, clicks: 0, amount: 0n };
  return {
    description: 'script',
    start,
    seed: script.seed,
    panel: {
      currency: panel.currency,
      openingBalance: panel.openingBalance ?? 0n,
      refundMode: panel.refundMode,
      services,
      unknownOrderInBatch: panel.unknownOrderInBatch,
    },
    reservedOrderIds: seenIds,
    openingAd: { publisher: zero, advertiser: zero },
    planDay(date, previous): DayPlan {
      const conversions = conversionsByDate.get(date) ?? [];
      const publisherToday = publisher(date);
      const delta = publisherToday.amount - previous.publisher.amount;
      const payouts = sumMicros(conversions.map((conversion) => conversion.payout));
      const kind: PublisherDayKind = delta === payouts ? 'matched' : delta < 0n ? 'clawback' : 'unmatched';
      return {
        orders: ordersByDate.get(date) ?? [],
        topUps: topUpsByDate.get(date) ?? [],
        ad: { publisher: publisherToday, advertiser: advertiser(date), conversions, publisherDayKind: kind },
      };
    },
  };
}

/** The script's service catalogue (the standard one when it lists none), each id once. */
function scriptServices(panel: ParsedScript['panel'], problem: Problem): readonly PanelService[] {
  const services =
    panel.services?.map((definition) =>
      panelService({
        id: definition.service,
        name: definition.name,
        type: definition.type,
        rate: definition.rate,
        min: definition.min,
        max: definition.max,
        category: definition.category,
        ...(definition.type === 'Package' ? { fixedQuantity: definition.quantity ?? definition.min } : {}),
      }),
    ) ?? STANDARD_SERVICES;
  const serviceIds = new Set<string>();
  services.forEach((service, index) => {
    if (serviceIds.has(service.id))
      problem(`panel.services.${index}.service`, `service id ${service.id} is listed twice`);
    serviceIds.add(service.id);
  });
  return services;
}

/** The script's orders by the day they are placed, and their ids (each once, a parent's children among them). */
function scriptOrders(
  script: ParsedScript,
  services: readonly PanelService[],
  problem: Problem,
): { ordersByDate: Map<string, PlannedOrder[]>; seenIds: Set<string> } {
  const { start, panel } = script;
  const ordersByDate = new Map<string, PlannedOrder[]>();
  const seenIds = new Set<string>();
  panel.orders.forEach((order, index) => {
    const path = `panel.orders.${index}`;
    if (seenIds.has(order.id)) problem(`${path}.id`, `order id ${order.id} is listed twice`);
    seenIds.add(order.id);
    const planned = plannedOrder(order, services, panel.refundMode, start, (field, message) =>
      problem(`${path}${field ? `.${field}` : ''}`, message),
    );
    if (planned !== undefined)
      ordersByDate.set(planned.placedOn, [...(ordersByDate.get(planned.placedOn) ?? []), planned]);
  });
  panel.orders.forEach((order, index) => {
    (order.orders ?? []).forEach((child, childIndex) => {
      if (!seenIds.has(child) || child === order.id)
        problem(
          `panel.orders.${index}.orders.${childIndex}`,
          `child order ${child} is not another order of this script`,
        );
    });
    if (order.orders !== undefined && order.charge !== undefined)
      problem(`panel.orders.${index}.charge`, 'a parent of child orders holds no money: charge its children');
  });
  return { ordersByDate, seenIds };
}

function scriptTopUps(panel: ParsedScript['panel'], start: string, problem: Problem): Map<string, TopUp[]> {
  const topUpsByDate = new Map<string, TopUp[]>();
  panel.topUps.forEach((topUp, index) => {
    if (topUp.on < start) problem(`panel.topUps.${index}.on`, `${topUp.on} is before the world's start ${start}`);
    if (topUp.amount <= 0n) problem(`panel.topUps.${index}.amount`, 'a top-up must be positive');
    topUpsByDate.set(topUp.on, [...(topUpsByDate.get(topUp.on) ?? []), topUp]);
  });
  return topUpsByDate;
}

/** The ad network's side of the script: conversions by day, and each counter series, none before the start. */
function scriptAd(script: ParsedScript, problem: Problem) {
  const { start, payelancer: ad } = script;
  const conversionsByDate = new Map<string, Conversion[]>();
  (ad?.conversions ?? []).forEach((conversion, index) => {
    const on = conversion.timestamp.slice(0, 10);
    if (on < start)
      problem(
        `payelancer.conversions.${index}.timestamp`,
        `${conversion.timestamp} is before the world's start ${start}`,
      );
    const converted: Conversion = {
      campaignId: conversion.campaign_id,
      adId: conversion.ad_id,
      payout: conversion.payout,
      timestamp: conversion.timestamp,
    };
    conversionsByDate.set(
      on,
      [...(conversionsByDate.get(on) ?? []), converted].sort((a, b) =>
        a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0,
      ),
    );
  });
  const publisher = counterSeries(ad?.publisher?.earnings, ad?.publisher?.impressions, ad?.publisher?.clicks);
  const advertiser = counterSeries(ad?.advertiser?.spent, ad?.advertiser?.impressions, ad?.advertiser?.clicks);
  for (const [path, series] of [
    ['payelancer.publisher', ad?.publisher],
    ['payelancer.advertiser', ad?.advertiser],
  ] as const) {
    for (const date of Object.values(series ?? {}).flatMap((values) => Object.keys(values))) {
      if (date < start) problem(path, `${date} is before the world's start ${start}`);
    }
  }
  return { conversionsByDate, publisher, advertiser };
}

function plannedOrder(
  order: ParsedOrder,
  services: readonly PanelService[],
  worldRefundMode: ParsedScript['panel']['refundMode'],
  start: string,
  problem: (field: string, message: string) => void,
): PlannedOrder | undefined {
  const service = services.find((candidate) => candidate.id === order.service);
  if (service === undefined) {
    problem('service', `no service ${order.service} in the catalogue`);
    return undefined;
  }
  const quantity = scriptQuantity(order, service, problem);
  if (quantity === undefined) return undefined;
  if (order.placedOn < start) problem('placedOn', `${order.placedOn} is before the world's start ${start}`);
  if (order.placedAt !== undefined && order.placedAt.slice(0, 10) !== order.placedOn)
    problem('placedAt', `${order.placedAt} is not on placedOn ${order.placedOn}`);
  const steps: OrderStep[] = [{ on: order.placedOn, status: 'Pending', remains: String(quantity) }];
  order.timeline.forEach((step, index) => {
    const previous = steps[steps.length - 1];
    if (previous !== undefined && step.on < previous.on)
      problem(`timeline.${index}.on`, `${step.on} is before the step or placement it follows (${previous.on})`);
    const kind = statusClass(step.status);
    if (step.remains === undefined && kind === 'partial')
      problem(`timeline.${index}.remains`, 'a Partial step needs remains');
    steps.push({
      on: step.on,
      status: step.status,
      remains: step.remains ?? (kind === 'completed' ? '0' : String(quantity)),
    });
  });
  return {
    id: order.id,
    service,
    quantity,
    placedOn: order.placedOn,
    placedAt: order.placedAt ?? `${order.placedOn}T12:00:00Z`,
    charge: order.orders === undefined ? (order.charge ?? orderCharge(service, quantity)) : 0n,
    refundMode: order.refundMode ?? worldRefundMode,
    startCount: order.startCount ?? 0,
    steps,
    origin: 'world',
    ...(order.orders === undefined ? {} : { childOrderIds: order.orders }),
  };
}

function scriptQuantity(
  order: ParsedOrder,
  service: PanelService,
  problem: (field: string, message: string) => void,
): number | undefined {
  if (service.type === 'Custom Comments Package') {
    if (order.quantity !== undefined)
      problem('quantity', 'a Custom Comments Package takes posts, min and max; its quantity is posts × max');
    if (order.max === undefined) {
      problem('max', 'a Custom Comments Package needs max (comments per post)');
      return undefined;
    }
    if (order.min !== undefined && order.min > order.max) problem('min', `min ${order.min} is above max ${order.max}`);
    return (order.posts ?? 1) * order.max;
  }
  if (order.posts !== undefined || order.min !== undefined || order.max !== undefined)
    problem('', `posts, min and max belong to a Custom Comments Package, not to a ${service.type} service`);
  if (service.type === 'Package') return order.quantity ?? service.fixedQuantity ?? service.min;
  if (order.quantity === undefined) problem('quantity', `a ${service.type} order needs a quantity`);
  return order.quantity;
}

/** A lifetime counter given at some dates: the latest total on or before a date, 0 before the first. */
function counterSeries(
  amounts: Readonly<Record<string, bigint>> | undefined,
  impressions: Readonly<Record<string, number>> | undefined,
  clicks: Readonly<Record<string, number>> | undefined,
): (date: string) => AdCounters {
  const latest = <T>(series: Readonly<Record<string, T>> | undefined, date: string, fallback: T): T => {
    let value = fallback;
    let valueDate = '';
    for (const [on, total] of Object.entries(series ?? {})) {
      if (on <= date && on > valueDate) {
        value = total;
        valueDate = on;
      }
    }
    return value;
  };
  return (date) => ({
    impressions: latest(impressions, date, 0),
    clicks: latest(clicks, date, 0),
    amount: latest(amounts, date, 0n),
  });
}
