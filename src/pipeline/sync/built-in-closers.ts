import { PANEL_KIND, PANEL_RATE_LIMIT, PAYELANCER_KIND, asPanelSource, asPayelancerSource, createPanelClient, createPayelancerClient } from '../../sources/index.js';
import { storedBatchMode, syncPanelClose } from './panel-close.js';
import { syncPayelancerClose } from './payelancer-close.js';
import type { SourceCloser } from './source-closer.js';

/** An SMM panel's close: its orders polled in chunks, each booked in a unit of its own, then its balance explained. */
export const panelCloser: SourceCloser = {
  kind: PANEL_KIND,
  requestBudget(source) {
    const perMinute = asPanelSource(source).rateLimitPerMinute ?? PANEL_RATE_LIMIT.requestsPerMinute;
    return { requestsPerMinute: perMinute, burst: Math.min(PANEL_RATE_LIMIT.burst, perMinute) };
  },
  ordersFilesOf(source) {
    const { ordersFile } = asPanelSource(source);
    return ordersFile === undefined ? [] : [ordersFile];
  },
  async close(take) {
    const source = asPanelSource(take.source);
    const batchMode = await storedBatchMode(take.context.books, source.id);
    const client = createPanelClient({ sourceId: source.id, url: source.url, apiKey: source.apiKey, http: take.http, clock: take.clock, onRawReply: take.onRawReply, batchMode });
    return syncPanelClose(take.context, source, client, {
      ordersFiles: take.ordersFiles,
      onOrdersFileProblems: take.onOrdersFileProblems,
      defaultCurrency: source.currency ?? take.currency,
      clock: take.clock,
    });
  },
};

/** An ad network's close: its lifetime counter's change booked, then each payout date it crossed settled. */
export const payelancerCloser: SourceCloser = {
  kind: PAYELANCER_KIND,
  close(take) {
    const source = asPayelancerSource(take.source);
    const client = createPayelancerClient({ sourceId: source.id, baseUrl: source.baseUrl, apiKey: source.apiKey, http: take.http, clock: take.clock, onRawReply: take.onRawReply });
    return syncPayelancerClose(take.context, source, client, take.currency);
  },
};
