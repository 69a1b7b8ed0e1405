import { z } from 'zod';
import { optionalWireId, wireCount, wireMicros, wireText } from '../../http/index.js';

/**
 * GET /backend/api/v1/stats.php: lifetime counters; earnings for publishers, spent for advertisers (which counter a
 * key reports comes from the reply's role, DESIGN §4).
 */
export const PayelancerStatsReplySchema = z.discriminatedUnion('role', [
  z
    .object({
      success: z.literal(true),
      role: z.literal('publisher'),
      stats: z.object({ impressions: wireCount, clicks: wireCount, earnings: wireMicros }).loose(),
    })
    .loose(),
  z
    .object({
      success: z.literal(true),
      role: z.literal('advertiser'),
      stats: z.object({ impressions: wireCount, clicks: wireCount, spent: wireMicros }).loose(),
    })
    .loose(),
]);

export const PayelancerAdFormatSchema = z.object({ id: wireText, name: wireText, dimensions: wireText }).loose();
export type PayelancerAdFormat = z.infer<typeof PayelancerAdFormatSchema>;

/** GET /backend/api/v1/ad-formats.php */
export const PayelancerAdFormatsReplySchema = z
  .object({ success: z.literal(true), formats: z.array(PayelancerAdFormatSchema) })
  .loose();

/** POST /backend/api/v1/campaigns.php: the seed shows no reply; an id is read wherever one is sent. */
export const PayelancerCampaignReplySchema = z
  .object({
    success: z.literal(true),
    campaign: z.object({ id: optionalWireId }).loose().optional(),
    campaign_id: optionalWireId,
    id: optionalWireId,
  })
  .loose();

/** Errors come as {"success": false, "error": "<message>"} with the HTTP status of the seed's table. */
export const PayelancerFailureSchema = z.object({ success: z.literal(false), error: z.unknown() }).loose();
