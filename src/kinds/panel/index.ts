import type { z } from 'zod';
import { panelOrderUpdateFormat } from './panel-order-update.js';
import { PANEL_KIND, asPanelSource, panelSourceEntry, resolvePanelSource } from './panel-config.js';
import { panelCloser, panelProbe, panelReplayer } from './panel-kind-parts.js';
import type { BackfillRepoll } from '../../pipeline/backfill/index.js';
import type { SourceKind } from '../../pipeline/kinds/source-kind.js';
import type { OrdersFileOrder } from './orders-file.js';
import { panelFindings, panelVocabulary } from './panel-vocabulary.js';
import { panelSilence } from './rules/panel-silence.js';
import { PANEL_PREPAID_ACCOUNT } from './rules/panel-accounts.js';

/** The panel's run-time part, loaded when a command first uses it (panel-kind-parts.ts says why). */
const runtime = () => import('./panel-runtime.js');
/** The proxy's books, loaded only by the commands that read them (reconcile). */
const proxyReads = () => import('./proxy/index.js');
/** The panel's own books, loaded by the commands that read its orders (reconcile, status). */
const ownBooks = async () => (await import('./books/panel-books.js')).panelReads;
/** What the panel raises for reconcile, loaded by the commands that list its items. */
const reconcileParts = () => import('./panel-reconcile-items.js');

/** An SMM panel with the common "API v2": orders prepaid from a balance, polled for their status. */
export const panelSourceKind: SourceKind = {
  ...panelCloser,
  ...panelReplayer,
  ...panelProbe,
  kind: PANEL_KIND,
  get entrySchema() {
    return panelSourceEntry();
  },
  vocabulary: panelVocabulary,
  findings: panelFindings,
  // The loader hands resolve only what entrySchema validated, which is the schema's output.
  resolve: (entry, placement) => resolvePanelSource(entry as z.output<ReturnType<typeof panelSourceEntry>>, placement),
  reportFacts: (source) => ({
    prepaidOrders: { stuckAfterDays: asPanelSource(source).stuckAfterDays },
    balanceAccount: PANEL_PREPAID_ACCOUNT,
  }),
  capabilities: {
    webhookFormat: panelOrderUpdateFormat,
    ordersFileRepoll: (books): BackfillRepoll<OrdersFileOrder> => ({
      read: async (paths, onOrders) => (await runtime()).readPanelOrdersFiles(paths, onOrders),
      request: async (sourceId, orders, asOf, now) =>
        (await runtime()).requestRepoll(books, sourceId, orders, asOf, now),
    }),
    silence: panelSilence,
    findingsSettled: { byTopUp: ['balance_rise'], byLateOrders: ['balance_fall'] },
    reconcileItems: async (books, asOf) => {
      const { proxyBooks, unansweredAddItems } = await proxyReads();
      const mismatches = await (await reconcileParts()).balanceMismatchItems(books.ledgerReads, asOf);
      return [...mismatches, ...(await unansweredAddItems(books.of(proxyBooks), asOf))];
    },
    orders: {
      stuckOpen: async (books, sourceId, seenBy, judgedOn) =>
        (await reconcileParts()).stuckOrderItems(
          sourceId,
          judgedOn,
          await books.of(await ownBooks()).ordersOpenSince(sourceId, seenBy),
        ),
      bySource: async (books) => books.of(await ownBooks()).ordersBySource(),
    },
    commands: [
      {
        name: 'panel-proxy',
        summary:
          'a pass-through in front of an SMM panel that records every order placed through it, so sync needs no orders file',
        ledger: 'write',
        load: async () => (await import('./commands/panel-proxy-command.js')).panelProxyCommand,
      },
    ],
    // The close books a fall no order explains to suspense; the entry that finds what it was explains its finding.
    explainedByAdjusting: 'finding:smm-panel:panel_unexplained_fall:2026-04-01',
    spoolOf: (source) => ({ what: `the panel proxy's spool of ${source.id}`, path: asPanelSource(source).proxySpool }),
  },
};

/** The panel's wire as the sandbox's panel fake speaks it (the sandbox imports src/ only through index files). */
export { createPanelExchange, type PanelExchangeOptions } from './panel-client.js';
export { errorField as panelErrorField } from './panel-wire.js';
export { PanelAddReplySchema, PanelCancelReplySchema, PanelServicesReplySchema } from './panel-wire.js';
