import { PAYELANCER_KIND, asPayelancerSource, createPayelancerClient } from '../../sources/index.js';
import { syncPayelancerClose } from './payelancer-close.js';
import type { SourceCloser } from './source-closer.js';

/** An ad network's close: its lifetime counter's change booked, then each payout date it crossed settled. */
export const payelancerCloser: SourceCloser = {
  kind: PAYELANCER_KIND,
  close(take) {
    const source = asPayelancerSource(take.source);
    const client = createPayelancerClient({
      sourceId: source.id,
      baseUrl: source.baseUrl,
      apiKey: source.apiKey,
      http: take.http,
      clock: take.clock,
      onRawReply: take.onRawReply,
    });
    return syncPayelancerClose(take.context, source, client, take.currency);
  },
};
