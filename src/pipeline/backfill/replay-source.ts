import type { SourceConfig } from '../../config/index.js';
import { InvalidReplyError, UsageError } from '../../errors.js';
import { formatMicros } from '../../money/index.js';
import type { Ledger } from '../../ledger/index.js';
import type { EventRules, Granularity, JournalEntry, OrderCorrection } from '../../rules/index.js';
import { replaceCounterState, writeReplayedOrderStates } from './replayed-states.js';
import { correctDay } from './correct-day.js';
import { panelClosesToReread, replayPanelCloses, type ReplayedPanel } from './replay-panel.js';
import { replayPayelancerCloses, type ReplayedPayelancer } from './replay-payelancer.js';
import type { ReplayWindow } from './replayed-closes.js';
import type { BackfillBooks, BackfillBooksTx } from './backfill-books.js';

export interface BackfillRun {
  ledger: Ledger;
  books: BackfillBooks;
  chart: EventRules;
  granularity: Granularity;
  runId: string;
  now: () => Date;
  dryRun: boolean;
  /** Called after each close is re-read (for a progress bar). */
  onClose?: (date: string) => void;
}

/** A source's replay, re-derived and checked, ready to book. */
export type SourceReplay = ({ kind: 'panel' } & ReplayedPanel) | ({ kind: 'payelancer' } & ReplayedPayelancer);

export interface ReplayPlan {
  source: SourceConfig;
  window: ReplayWindow;
  replayed: SourceReplay;
  /** The window runs through the source's latest close: the live state may take the replay's. */
  reachesLatestClose: boolean;
}

/**
 * Re-reads the stored replies of a source's committed closes with today's
 * readers and rules, and checks that what it found can be booked; it writes
 * nothing. Refused (UsageError) when a re-read changes amounts (an order's
 * charge, a counter, the panel's balance) but the window stops before the
 * latest close: every later close counted from the old figure. Fails
 * (InvalidReplyError) when today's reader rejects an order that was read on
 * the night: booking without it would drop a charge.
 */
export async function planSourceReplay(run: BackfillRun, source: SourceConfig, window: ReplayWindow): Promise<ReplayPlan> {
  if (source.kind === 'panel') await refuseInterruptedClose(run, source.id);
  const options = { window, onClose: run.onClose };
  const replayed: SourceReplay =
    source.kind === 'panel'
      ? { kind: 'panel', ...(await replayPanelCloses(run, source, { ...options, chart: run.chart })) }
      : { kind: 'payelancer', ...(await replayPayelancerCloses(run.books, run.ledger, source, options)) };
  if (replayed.kind === 'panel' && replayed.unreadable.length > 0) {
    const first = replayed.unreadable[0]!;
    throw new InvalidReplyError(
      source.id,
      `order ${first.orderId} in the stored reply of the close of ${first.date}`,
      `${first.reason}; it was read on the night, so today's reader rejects what it used to accept` +
        `${replayed.unreadable.length > 1 ? ` (${replayed.unreadable.length - 1} more such orders)` : ''}; nothing is booked for ${source.id}`,
    );
  }
  const latest = await run.books.latestClose(source.id);
  const reachesLatestClose = latest !== undefined && window.to >= latest;
  const changedAmounts = [
    ...replayed.rereads.map((reread) => `the close of ${reread.date} now reads ${formatMicros(reread.rereadMicros)}, not ${formatMicros(reread.bookedMicros)}`),
    ...(replayed.kind === 'panel' ? [...netByOrder(replayed.orderCorrections)].map(([orderId, change]) => `order ${orderId} moves by ${formatMicros(change)}`) : []),
  ];
  if (changedAmounts.length > 0 && !reachesLatestClose) {
    const listed = changedAmounts.slice(0, 3).join('; ') + (changedAmounts.length > 3 ? `; ${changedAmounts.length - 3} more` : '');
    throw new UsageError(
      `${source.id}: re-reading the stored replies changes amounts (${listed}), and the closes after ${window.to} counted from the old ones; ` +
        `run the backfill through the latest close (--to ${latest ?? window.to})`,
    );
  }
  return { source, window, replayed, reachesLatestClose };
}

/**
 * A panel close that stopped after booking some of its orders is finished by the next sync, from the
 * order states it wrote; a replay reaching the latest close would put back the states before it, and
 * its orders would be booked again.
 */
async function refuseInterruptedClose(run: BackfillRun, sourceId: string): Promise<void> {
  const { books } = run;
  const [left] = await books.interruptedCloseDates(sourceId, { fromDate: await books.latestClose(sourceId), runId: run.runId });
  if (left !== undefined) {
    throw new UsageError(`${sourceId}: the close of ${left} stopped before it was finished; run a plain sync (ledgerline sync) to finish it, then the backfill`);
  }
}

/**
 * Books a planned replay in one transaction: each day's difference from the
 * books as a correcting entry dated that day, what it changed per order and
 * per re-read figure (so the next replay counts it as booked), and, when the
 * window reaches the latest close, the replay's state as the live one. A dry
 * run computes the same corrections and books nothing.
 */
export async function bookSourceReplay(run: BackfillRun, plan: ReplayPlan): Promise<JournalEntry[]> {
  const { ledger } = run;
  const { source, replayed } = plan;
  const correctionsByDate = new Map<string, OrderCorrection[]>();
  if (replayed.kind === 'panel') {
    for (const correction of replayed.orderCorrections) {
      const list = correctionsByDate.get(correction.date);
      if (list) list.push(correction);
      else correctionsByDate.set(correction.date, [correction]);
    }
  }
  return run.books.unit(async (tx) => {
    const booked: JournalEntry[] = [];
    for (const date of [...replayed.days.keys()].sort()) {
      const day = await correctDay(tx, ledger, {
        sourceId: source.id,
        date,
        events: replayed.days.get(date)!,
        chart: run.chart,
        granularity: run.granularity,
        runId: run.runId,
        now: run.now(),
        dryRun: run.dryRun,
      });
      if (day.correction) booked.push(day.correction);
      if (!run.dryRun) await tx.recordOrderCorrections(source.id, correctionsByDate.get(date) ?? [], { entryId: day.correction?.id, runId: run.runId, now: run.now() });
    }
    if (!run.dryRun) {
      for (const reread of replayed.rereads) await tx.recordReread({ closeId: reread.closeId, valueMicros: reread.rereadMicros, runId: run.runId, now: run.now() });
      if (plan.reachesLatestClose) {
        if (replayed.kind === 'panel') await writeReplayedOrderStates(tx, source.id, replayed.orderStates, run.now());
        else if (replayed.counter && replayed.rereads.length > 0) await replaceCounterState(tx, source.id, replayed.counter, run.now());
      }
    }
    return booked;
  });
}

/**
 * How many closes a backfill re-reads for a source: an ad network's in the window; a panel's in the window
 * when the store kept its start state, else from its first (order states are rebuilt).
 */
export async function closesToReplay(books: BackfillBooksTx, source: SourceConfig, window: ReplayWindow): Promise<number> {
  if (source.kind === 'panel') return panelClosesToReread(books, source, window);
  return books.closeCount(source.id, { from: window.from, to: window.to });
}

function netByOrder(corrections: readonly OrderCorrection[]): Map<string, bigint> {
  const net = new Map<string, bigint>();
  for (const correction of corrections) net.set(correction.orderId, (net.get(correction.orderId) ?? 0n) + correction.amountMicros);
  for (const [orderId, amount] of net) if (amount === 0n) net.delete(orderId);
  return net;
}
