import { z } from 'zod';
import { webhookEvent, webhookFormat, webhookId, webhookPayout, webhookTimestamp } from '../../sources/index.js';

/**
 * The ad network's conversion webhook (seed "Example Webhook Payload"):
 *
 *   {"event": "conversion.tracked",
 *    "data": {"campaign_id": "982734A", "ad_id": "459021B", "payout": 1.25, "timestamp": "2026-03-13T20:55:00Z"}}
 *
 * reads as { campaignId: "982734A", adId: "459021B", payoutMicros: 1_250_000n, timestamp: "2026-03-13T20:55:00Z" }.
 * Other events are refused until the network documents them.
 */
const ConversionWebhookSchema = z.lazy(() =>
  z
    .object({
      event: webhookEvent('conversion.tracked'),
      data: z
        .object({
          campaign_id: webhookId,
          ad_id: webhookId,
          payout: webhookPayout,
          timestamp: webhookTimestamp,
        })
        .loose(),
    })
    .loose()
    .transform(({ data }) => ({
      kind: 'conversion.tracked' as const,
      campaignId: data.campaign_id,
      adId: data.ad_id,
      payoutMicros: data.payout,
      /** Normalized UTC instant. */
      timestamp: data.timestamp,
    })),
);
export type TrackedConversionWebhook = z.infer<typeof ConversionWebhookSchema>;

/** How the ad network's conversion webhooks read: one event per campaign, ad, instant and payout. */
export const conversionWebhookFormat = webhookFormat(ConversionWebhookSchema, (event) => [
  event.campaignId,
  event.adId,
  event.timestamp,
  event.payoutMicros.toString(),
]);
