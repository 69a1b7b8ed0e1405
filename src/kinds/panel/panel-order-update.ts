import { z } from 'zod';
import {
  optionalWebhookCurrency,
  optionalWebhookRemains,
  optionalWebhookText,
  webhookCharge,
  webhookId,
  webhookStatus,
  webhookFormat,
} from '../../sources/index.js';

/**
 * The panel's order status webhook (seed "Webhooks"):
 *
 *   {"order_id": 1487, "status": "Completed", "remains": 0, "start_count": 8421, "charge": 4.5}
 *
 * reads as { orderId: "1487", statusRaw: "Completed", remains: "0", startCount: "8421", chargeMicros: 4_500_000n }.
 * Status and remains stay as sent ("Cancelled", "+12"): the panel rules normalize them.
 */
const PanelOrderUpdateSchema = z.lazy(() =>
  z
    .object({
      order_id: webhookId,
      status: webhookStatus,
      remains: optionalWebhookRemains,
      start_count: optionalWebhookText,
      charge: webhookCharge,
      currency: optionalWebhookCurrency,
    })
    .loose()
    .transform((body) => ({
      kind: 'order-update' as const,
      orderId: body.order_id,
      statusRaw: body.status,
      remains: body.remains,
      startCount: body.start_count,
      chargeMicros: body.charge,
      currency: body.currency,
    })),
);
export type PanelOrderUpdateWebhook = z.infer<typeof PanelOrderUpdateSchema>;

/** A panel's order update: the key holds the state (status, remains, charge), so a real change is a new event and the same state resent is not. */
export const panelOrderUpdateFormat = webhookFormat(PanelOrderUpdateSchema, (event) => [
  event.orderId,
  event.statusRaw,
  event.remains ?? null,
  event.chargeMicros.toString(),
]);
