import { UsageError } from '../../errors.js';
import type { BackfillRun, SourceReplayer } from '../../pipeline/backfill/index.js';
import { panelBooks } from './books/panel-books.js';
import { writeReplayedOrderStates } from './replayed-order-states.js';
import type { SourceProbe } from '../../pipeline/operations/index.js';
import type { SourceCloser } from '../../pipeline/sync/index.js';
import { createPanelClient } from './panel-client.js';
import { asPanelSource } from './panel-config.js';
import { syncPanelClose } from './panel-close.js';

/** What the sync and the backfill take from the panel's close besides the close itself. */
export { readPanelOrdersFiles, refuseUnusableOrdersFiles } from './panel-close-orders.js';
export { requestRepoll } from './panel-balance-chunk.js';
import { panelClosesToReread, replayPanelCloses } from './replay-panel.js';

/**
 * What a panel does at run time: its close, its replay, its probe. panel-kind-parts.ts reaches this module
 * by `import()` when a command first uses one, so a command that only reads the books never loads the panel's
 * client, close or replay.
 */

/** An SMM panel's close, on the chunked staged shape: its orders polled in chunks, each loaded in a unit of its own, then its balance explained. */
export const closePanel: SourceCloser['close'] = (take) => {
  const source = asPanelSource(take.source);
  return syncPanelClose(take.context, source, take, {
    ordersFiles: take.ordersFiles,
    onOrdersFileProblems: take.onOrdersFileProblems,
    defaultCurrency: source.currency ?? take.currency,
  });
};

/** A panel's closes re-read: every order's state and the balance state folded from the stored replies. */
export const replayPanel: SourceReplayer['replay'] = async (run, source, options) => {
  const panel = asPanelSource(source);
  const replayed = await replayPanelCloses(run, panel, { ...options, chart: run.chart });
  return {
    ...replayed,
    keepCorrections: (tx, corrections, meta) => tx.of(panelBooks).recordOrderCorrections(panel.id, corrections, meta),
    adoptAsLive: (tx, now) => writeReplayedOrderStates(tx, panel.id, replayed.orderStates, now),
  };
};

export const panelClosesToReplay: SourceReplayer['closesToReplay'] = (books, source, window) =>
  panelClosesToReread(books, asPanelSource(source), window);

/** A panel's balance: the call every panel script makes first. */
export const probePanel: SourceProbe['probe'] = async (source, { http, clock }) => {
  const panel = asPanelSource(source);
  const reply = await createPanelClient({
    sourceId: panel.id,
    url: panel.url,
    apiKey: panel.apiKey,
    http,
    clock,
  }).balance();
  return `the panel answered: ${reply.balanceText}${reply.currency ? ` ${reply.currency}` : ''}`;
};

/**
 * A panel close that stopped after booking some of its orders is finished by the next sync, from the
 * order states it wrote; a replay reaching the latest close would put back the states before it, and
 * its orders would be booked again.
 */
export async function refuseInterruptedClose(run: BackfillRun, sourceId: string): Promise<void> {
  const { books } = run;
  const [left] = await books.interruptedCloseDates(sourceId, {
    fromDate: await books.latestClose(sourceId),
    runId: run.runId,
  });
  if (left !== undefined) {
    throw new UsageError(
      `${sourceId}: the close of ${left} stopped before it was finished; run a plain sync (ledgerline sync) to finish it, then the backfill`,
    );
  }
}
