import { z } from 'zod';
import { addDays, daysBetween } from '../src/calendar/index.js';
import type { FaultInjector } from './fault-injector.js';
import type { PanelFlavour } from './panel-flavours.js';
import { amountNumber, JsonNumber, jsonText, orderIdValue } from './json-text.js';
import type { RateLimiter } from './rate-limiter.js';
import type { ReplyHolds } from './reply-holds.js';
import type { RequestLog } from './request-log.js';
import type { World } from './sandbox-world.js';
import type { SandboxKeys } from './sandbox-keys.js';
import type { ServiceGate } from './simulated-service.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';
import { UNKNOWN_ORDER_SHAPES, type Conversion, type OrderState } from './world-model.js';

/** `httpStatus`: errors use the seed's HTTP codes. `inside200`: every request error is {"error": …} with HTTP 200 (SmartPanel). */
export const PANEL_ERROR_STYLES = ['httpStatus', 'inside200'] as const;
/** How a single `status` of an unknown id is answered. */
export const UNKNOWN_SINGLE_STATUS_REPLIES = ['http404', 'errorInside200'] as const;
/**
 * `seed`: multiStatus and status&orders answer batches. `none`: a PHP script with no batch status,
 * as found in the wild: multiStatus answers a bare `null` (HTTP 200) and status&orders
 * {"error":"Order not found.","status":"104"}; only status&order=ID answers.
 */
export const BATCH_STATUS_SUPPORT = ['seed', 'none'] as const;

export const PanelBehaviourSchema = z
  .object({
    errorStyle: z.enum(PANEL_ERROR_STYLES),
    unknownOrderInBatch: z.enum(UNKNOWN_ORDER_SHAPES),
    unknownSingleStatus: z.enum(UNKNOWN_SINGLE_STATUS_REPLIES),
    batchStatus: z.enum(BATCH_STATUS_SUPPORT),
  })
  .strict();
export type PanelBehaviour = z.infer<typeof PanelBehaviourSchema>;

export interface WebhookTargets {
  readonly panelUrl?: string;
  readonly payelancerUrl?: string;
}

/** The state the mounts share: the world, today's date, keys, panel behaviour, limits, faults, log and webhooks. */
export interface SandboxRuntime extends ServiceGate {
  readonly world: World;
  readonly keys: SandboxKeys;
  /** How the panel writes its replies (panel-flavours.ts). */
  readonly panelFlavour: PanelFlavour;
  /** Whether the business is also an advertiser at the ad network: its card top-ups there are in the bank's lines. */
  readonly advertiserTopUps: boolean;
  panelBehaviour(): PanelBehaviour;
  changePanelBehaviour(change: unknown): PanelBehaviour;
  /**
   * Moves the sandbox to `date`. Moving forward queues the webhooks of every
   * day passed (order status changes, conversions), in day order.
   */
  setToday(date: string): { readonly date: string; readonly webhooksQueued: number };
  readonly webhooks: WebhookDispatcher | undefined;
  readonly holds: ReplyHolds;
}

export interface SandboxRuntimeParts {
  readonly world: World;
  readonly keys: SandboxKeys;
  readonly today: string;
  readonly panelFlavour: PanelFlavour;
  readonly panelBehaviour: PanelBehaviour;
  readonly advertiserTopUps?: boolean | undefined;
  readonly limiter: RateLimiter;
  readonly faults: FaultInjector;
  readonly log: RequestLog;
  readonly clock: () => Date;
  readonly holds: ReplyHolds;
  readonly webhooks?: { readonly dispatcher: WebhookDispatcher; readonly targets: WebhookTargets };
  /** Told each day the sandbox moves to (a resumed demo writes it down, so the next resume starts there). */
  readonly onDayMoved?: ((date: string) => void) | undefined;
}

export function createSandboxRuntime(parts: SandboxRuntimeParts): SandboxRuntime {
  // Simulating the first day now refuses a date outside the world before anything listens.
  parts.world.balanceOn(parts.today);
  let today = parts.today;
  let behaviour = parts.panelBehaviour;
  const webhooks = parts.webhooks;
  return {
    world: parts.world,
    keys: parts.keys,
    panelFlavour: parts.panelFlavour,
    advertiserTopUps: parts.advertiserTopUps ?? false,
    limiter: parts.limiter,
    faults: parts.faults,
    log: parts.log,
    clock: parts.clock,
    holds: parts.holds,
    today: () => today,
    panelBehaviour: () => behaviour,
    changePanelBehaviour(change) {
      behaviour = { ...behaviour, ...PanelBehaviourSchema.partial().parse(change) };
      return behaviour;
    },
    setToday(date) {
      parts.world.balanceOn(date); // throws RangeError for a date outside the world, before anything changes
      let queued = 0;
      if (webhooks !== undefined) {
        for (let day = 1; day <= daysBetween(today, date); day += 1) {
          const changes = parts.world.changesOn(addDays(today, day));
          const { panelUrl, payelancerUrl } = webhooks.targets;
          if (panelUrl !== undefined) {
            for (const order of changes.orderSteps) webhooks.dispatcher.enqueue(panelUrl, orderWebhookBody(order));
            queued += changes.orderSteps.length;
          }
          if (payelancerUrl !== undefined) {
            for (const conversion of changes.conversions)
              webhooks.dispatcher.enqueue(payelancerUrl, conversionWebhookBody(conversion));
            queued += changes.conversions.length;
          }
        }
      }
      today = date;
      parts.onDayMoved?.(date);
      return { date, webhooksQueued: queued };
    },
    webhooks: webhooks?.dispatcher,
  };
}

/** The panel's order-update webhook, as the seed shows it: {"order_id": 1487, "status": "Completed", "remains": 0, "start_count": 8421, "charge": 4.5}. */
export function orderWebhookBody(order: OrderState): string {
  return jsonText({
    order_id: orderIdValue(order.id),
    status: order.status,
    remains: /^-?(?:0|[1-9]\d*)$/.test(order.remains) ? new JsonNumber(order.remains) : order.remains,
    start_count: order.startCount,
    charge: amountNumber(order.reportedCharge),
  });
}

/** The ad network's conversion webhook: {"event": "conversion.tracked", "data": {campaign_id, ad_id, payout, timestamp}}. */
export function conversionWebhookBody(conversion: Conversion): string {
  return jsonText({
    event: 'conversion.tracked',
    data: {
      campaign_id: conversion.campaignId,
      ad_id: conversion.adId,
      payout: amountNumber(conversion.payout),
      timestamp: conversion.timestamp,
    },
  });
}
