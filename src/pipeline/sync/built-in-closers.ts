import { PANEL_KIND, PANEL_RATE_LIMIT, asPanelSource } from '../../sources/index.js';
import { syncPanelClose } from './panel-close.js';
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
