import type { SourceConfig } from '../../config/index.js';
import { InvalidReplyError, UsageError } from '../../errors.js';
import { formatMicros } from '../../money/index.js';
import type { JournalEntry, SourceEvent } from '../../rules/index.js';
import { correctDay } from './correct-day.js';
import type { ReplayWindow } from './replayed-closes.js';
import type { BackfillRun, OrderCorrection, SourceReplay, SourceReplayer } from './source-replayer.js';

export interface ReplayPlan {
  source: SourceConfig;
  window: ReplayWindow;
  replayed: SourceReplay;
  /** The window runs through the source's latest close: the live state may take the replay's. */
  reachesLatestClose: boolean;
  /** The days before the source's first close were read (readHistory): its opening moves from that day to `to`. */
  openingMoved?: { from: string; to: string };
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
export async function planSourceReplay(
  run: BackfillRun,
  replayer: SourceReplayer,
  source: SourceConfig,
  window: ReplayWindow,
): Promise<ReplayPlan> {
  await replayer.refuseReplay?.(run, source);
  const replayed = withEachEventOnce(await replayer.replay(run, source, { window, onClose: run.onClose }));
  if (replayed.unreadable.length > 0) {
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
    ...replayed.rereads.map(
      (reread) =>
        `the close of ${reread.date} now reads ${formatMicros(reread.rereadMicros)}, not ${formatMicros(reread.bookedMicros)}`,
    ),
    ...[...netByOrder(replayed.orderCorrections)].map(
      ([orderId, change]) => `order ${orderId} moves by ${formatMicros(change)}`,
    ),
  ];
  if (changedAmounts.length > 0 && !reachesLatestClose) {
    const listed =
      changedAmounts.slice(0, 3).join('; ') + (changedAmounts.length > 3 ? `; ${changedAmounts.length - 3} more` : '');
    throw new UsageError(
      `${source.id}: re-reading the stored replies changes amounts (${listed}), and the closes after ${window.to} counted from the old ones; ` +
        `run the backfill through the latest close (--to ${latest ?? window.to})`,
    );
  }
  return { source, window, replayed, reachesLatestClose };
}

/**
 * Books a planned replay in one transaction: each day's difference from the
 * books as a correcting entry dated that day, what it changed per order and
 * per re-read figure (so the next replay counts it as booked), and, when the
 * window reaches the latest close, the replay's state as the live one. A dry
 * run computes the same corrections and books nothing.
 */
export async function bookSourceReplay(run: BackfillRun, plan: ReplayPlan): Promise<JournalEntry[]> {
  const { source, replayed } = plan;
  const correctionsByDate = new Map<string, OrderCorrection[]>();
  for (const correction of replayed.orderCorrections) {
    const list = correctionsByDate.get(correction.date);
    if (list) list.push(correction);
    else correctionsByDate.set(correction.date, [correction]);
  }
  return run.books.unit(async (tx) => {
    const booked: JournalEntry[] = [];
    for (const date of [...replayed.days.keys()].sort()) {
      const day = await correctDay(tx, tx.ledger, {
        ...run,
        sourceId: source.id,
        date,
        events: replayed.days.get(date)!,
        now: run.now(),
        ...(plan.openingMoved?.from === date ? { why: `its opening moved to ${plan.openingMoved.to}'s` } : {}),
      });
      if (day.correction) booked.push(day.correction);
      if (!run.dryRun)
        await replayed.keepCorrections?.(tx, correctionsByDate.get(date) ?? [], {
          entryId: day.correction?.id,
          runId: run.runId,
          now: run.now(),
        });
    }
    if (!run.dryRun) {
      for (const reread of replayed.rereads)
        await tx.recordReread({
          closeId: reread.closeId,
          valueMicros: reread.rereadMicros,
          runId: run.runId,
          now: run.now(),
        });
      if (plan.reachesLatestClose) await replayed.adoptAsLive(tx, run.now());
    }
    return booked;
  });
}

/**
 * The ledger holds an event id once (a close skips an id it already holds), so a replay does too, whatever
 * the kind: a day synced twice lists the same transactions in both its closes, and the first close's count.
 * Example: closes of October 1st list tx-1, tx-2, then tx-1, tx-2, tx-4: the day's events are tx-1, tx-2, tx-4.
 */
function withEachEventOnce(replayed: SourceReplay): SourceReplay {
  const seen = new Set<string>();
  const days = new Map<string, SourceEvent[]>();
  for (const date of [...replayed.days.keys()].sort()) {
    const firstSeen: SourceEvent[] = [];
    for (const event of replayed.days.get(date)!) {
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      firstSeen.push(event);
    }
    days.set(date, firstSeen);
  }
  return { ...replayed, days };
}

function netByOrder(corrections: readonly OrderCorrection[]): Map<string, bigint> {
  const net = new Map<string, bigint>();
  for (const correction of corrections)
    net.set(correction.orderId, (net.get(correction.orderId) ?? 0n) + correction.amountMicros);
  for (const [orderId, amount] of net) if (amount === 0n) net.delete(orderId);
  return net;
}
