import { ConfigError, type ConfigProblem } from '../src/errors.js';
import { sumMicros } from '../src/money/index.js';
import { statusClass } from './order-refund.js';
import { orderCharge, panelService, STANDARD_SERVICES, type PanelService } from './panel-service.js';
import { createWorld, type World } from './sandbox-world.js';
import {
  type AdCounters,
  type Conversion,
  type DayPlan,
  type OrderStep,
  type PlannedOrder,
  type PublisherDayKind,
  type TopUp,
  type WorldSource,
} from './world-model.js';
import { WorldScriptSchema, type ParsedOrder, type ParsedScript } from './world-script-schema.js';

export type { WorldScript } from './world-script-schema.js';

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
