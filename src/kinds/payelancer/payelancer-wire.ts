import { z } from 'zod';
import { wireCount, wireMicros } from '../../http/index.js';

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

/** Errors come as {"success": false, "error": "<message>"} with the HTTP status of the seed's table. */
export const PayelancerFailureSchema = z.object({ success: z.literal(false), error: z.unknown() }).loose();
