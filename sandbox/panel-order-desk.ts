import type { RawObservationId } from '../src/errors.js';
import {
  createPanelExchange,
  panelErrorField,
  PanelAddReplySchema,
  PanelCancelReplySchema,
  PanelServicesReplySchema,
  type PanelExchangeOptions,
} from '../src/kinds/panel/index.js';

/** A service as the panel lists it (`action=services`). */
export interface ListedService {
  serviceId: string;
  name: string;
  type?: string;
  /** Price per 1000 in micro-units (a flat price for package types). */
  rate: bigint;
  rateText: string;
  min?: string;
  max?: string;
  category?: string;
}

export type PanelAddParams = { service: string } & Record<string, string>;

export type PanelCancelResult =
  { orderId: string; accepted: true } | { orderId: string; accepted: false; reason: string };

/** What a customer does at a panel besides reading it: list services, place and cancel orders. */
export interface PanelOrderDesk {
  services(): Promise<{ services: ListedService[]; rawObservationId: RawObservationId | undefined }>;
  /** Not idempotent: a dropped connection ends in OutcomeUnknownError, never a second order. */
  add(params: PanelAddParams): Promise<{ orderId: string; rawObservationId: RawObservationId | undefined }>;
  cancel(
    orderIds: readonly string[],
  ): Promise<{ results: PanelCancelResult[]; rawObservationId: RawObservationId | undefined }>;
}

/**
 * The panel's customer actions over the same exchange the panel client reads through (the same
 * transport, error wording and refusals): the tests and trials place and cancel orders with it. ledgerline
 * itself never places an order; the panel proxy forwards a client's add as it came.
 */
export function createPanelOrderDesk(options: PanelExchangeOptions): PanelOrderDesk {
  const panel = createPanelExchange(options);
  return {
    async services() {
      const reply = await panel.post('services', {}, true);
      const body = panel.readSchema('services', reply, PanelServicesReplySchema);
      const services = body.map((entry): ListedService => ({
        serviceId: entry.service,
        name: entry.name,
        type: entry.type,
        rate: entry.rate.micros,
        rateText: entry.rate.text,
        min: entry.min,
        max: entry.max,
        category: entry.category,
      }));
      return { services, rawObservationId: reply.rawObservationId };
    },

    async add(params) {
      const reply = await panel.post('add', params, false);
      const body = panel.readSchema('add', reply, PanelAddReplySchema);
      return { orderId: body.order, rawObservationId: reply.rawObservationId };
    },

    async cancel(orderIds) {
      const reply = await panel.post('cancel', { orders: orderIds.join(',') }, false);
      const body = panel.readSchema('cancel', reply, PanelCancelReplySchema);
      const results = body.map((entry): PanelCancelResult => {
        const refusal = entry.error ?? panelErrorField(entry.cancel);
        if (refusal !== undefined) {
          return {
            orderId: entry.order,
            accepted: false,
            reason: panel.scrub(typeof refusal === 'string' ? refusal : JSON.stringify(refusal)),
          };
        }
        const accepted =
          entry.cancel !== undefined && entry.cancel !== null && entry.cancel !== false && entry.cancel !== '0';
        return accepted
          ? { orderId: entry.order, accepted: true }
          : { orderId: entry.order, accepted: false, reason: 'no cancel result in the reply' };
      });
      return { results, rawObservationId: reply.rawObservationId };
    },
  };
}
