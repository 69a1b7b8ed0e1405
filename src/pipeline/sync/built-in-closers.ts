import { PAYELANCER_KIND, asPayelancerSource, createPayelancerClient } from '../../sources/index.js';
import { PANEL_KIND, asPanelSource } from '../../kinds/panel/panel-config.js';
import { PANEL_RATE_LIMIT } from '../../kinds/panel/panel-rate-limit.js';
import { syncPanelClose } from '../../kinds/panel/panel-close.js';
import { syncPayelancerClose } from './payelancer-close.js';
import type { SourceCloser } from './source-closer.js';

/** An SMM panel's close, on the chunked staged shape: its orders polled in chunks, each loaded in a unit of its own, then its balance explained. */
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
  close(take) {
    const source = asPanelSource(take.source);
    return syncPanelClose(take.context, source, take, {
      ordersFiles: take.ordersFiles,
      onOrdersFileProblems: take.onOrdersFileProblems,
      defaultCurrency: source.currency ?? take.currency,
    });
  },
};

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
