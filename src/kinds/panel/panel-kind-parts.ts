import type { SourceReplayer } from '../../pipeline/backfill/index.js';
import type { SourceProbe } from '../../pipeline/operations/index.js';
import type { SourceCloser } from '../../pipeline/sync/index.js';
import { PANEL_KIND, asPanelSource } from './panel-config.js';
import { PANEL_RATE_LIMIT } from './panel-rate-limit.js';

/**
 * The panel's part of each use case, which the kind object (index.ts) bundles: its close, its replay, its probe.
 * What the configuration and the sync's plan read (the request budget, the orders files) is here; the work itself
 * is in panel-runtime.ts, loaded when a command first asks for it.
 */
const runtime = () => import('./panel-runtime.js');

/** An SMM panel's close: its orders polled in chunks, each loaded in a unit of its own, then its balance explained. */
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
  refuseUnusableOrdersFiles: async (paths) => (await runtime()).refuseUnusableOrdersFiles(paths),
  close: async (take) => (await runtime()).closePanel(take),
};

/** A panel's closes re-read: every order's state and the balance state folded from the stored replies. */
export const panelReplayer: SourceReplayer = {
  kind: PANEL_KIND,
  refuseReplay: async (run, source) => (await runtime()).refuseInterruptedClose(run, source.id),
  closesToReplay: async (books, source, window) => (await runtime()).panelClosesToReplay(books, source, window),
  replay: async (run, source, options) => (await runtime()).replayPanel(run, source, options),
};

/** A panel's balance: the call every panel script makes first. */
export const panelProbe: SourceProbe = {
  kind: PANEL_KIND,
  probeSubject: 'balance',
  addressField: 'url',
  probe: async (source, io) => (await runtime()).probePanel(source, io),
};
