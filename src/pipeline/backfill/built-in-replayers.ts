import { UsageError } from '../../errors.js';
import { PANEL_KIND, asPanelSource } from '../../sources/index.js';
import { panelClosesToReread, replayPanelCloses } from './replay-panel.js';
import { writeReplayedOrderStates } from './replayed-states.js';
import type { BackfillRun, SourceReplayer } from './source-replayer.js';

/** A panel's closes re-read: every order's state and the balance state folded from the stored replies. */
export const panelReplayer: SourceReplayer = {
  kind: PANEL_KIND,
  refuseReplay: (run, source) => refuseInterruptedClose(run, source.id),
  closesToReplay: (books, source, window) => panelClosesToReread(books, asPanelSource(source), window),
  async replay(run, source, options) {
    const panel = asPanelSource(source);
    const replayed = await replayPanelCloses(run, panel, { ...options, chart: run.chart });
    return { ...replayed, adoptAsLive: (tx, now) => writeReplayedOrderStates(tx, panel.id, replayed.orderStates, now) };
  },
  repollsNamedOrders: true,
};

/**
 * A panel close that stopped after booking some of its orders is finished by the next sync, from the
 * order states it wrote; a replay reaching the latest close would put back the states before it, and
 * its orders would be booked again.
 */
async function refuseInterruptedClose(run: BackfillRun, sourceId: string): Promise<void> {
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
