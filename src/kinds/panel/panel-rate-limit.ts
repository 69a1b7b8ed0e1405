import type { RateLimit } from '../../http/index.js';

/** The seed's limit is 1000 requests a minute per IP; the bucket keeps every minute within it. */
export const PANEL_RATE_LIMIT: RateLimit = { requestsPerMinute: 1000, burst: 20 };
