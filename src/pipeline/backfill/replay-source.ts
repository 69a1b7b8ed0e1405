import type { SourceConfig } from '../../config/index.js';
import { UsageError } from '../../errors.js';
import { formatMicros } from '../../money/index.js';
import type { JournalEntry, Ledger } from '../../ledger/index.js';
import type { EventRules, Granularity } from '../../rules/index.js';
import { latestCloseDate } from '../sync/book-close.js';
import { moveBookedNetCharges } from '../sync/panel-close.js';
import { replaceCounterState } from '../sync/payelancer-close.js';
import { correctDay } from './correct-day.js';
import { replayPanelCloses, type OrderCorrection } from './replay-panel.js';
import { replayPayelancerCloses } from './replay-payelancer.js';
import type { ReplayWindow } from './replayed-closes.js';

export interface BackfillRun {
  ledger: Ledger;
  chart: EventRules;
  granularity: Granularity;
  /** The configured currency: a panel balance reply without one is in it. */
  currency: string;
  runId: string;
  now: () => Date;
  dryRun: boolean;
  /** Called after each close is re-read (for a progress bar). */
  onClose?: (date: string) => void;
}

export interface ReplayedSource {
  corrections: JournalEntry[];
  closesReplayed: number;
  closesInWindow: number;
}

/**
 * A backfill of one source: re-read the stored replies of its committed
 * closes with today's readers and rules, then, in one transaction, book each
 * day's difference from the books as a correcting entry dated that day and
 * carry what changed into the source's live state. Nothing is sent anywhere;
 * the nightly cursor does not move. A dry run computes the same corrections
 * and books nothing.
 */
export async function replaySource(run: BackfillRun, source: SourceConfig, window: ReplayWindow): Promise<ReplayedSource> {
  const { ledger } = run;
  const options = { window, onClose: run.onClose };
  const replayed =
    source.kind === 'panel'
      ? { kind: 'panel' as const, ...(await replayPanelCloses(ledger, source, { ...options, chart: run.chart, defaultCurrency: run.currency })) }
      : { kind: 'payelancer' as const, ...(await replayPayelancerCloses(ledger, source, { ...options, currency: run.currency })) };
  const latest = latestCloseDate(ledger, source.id);
  const reachesLatestClose = latest !== undefined && window.to >= latest;
  // A re-read that changes amounts (not only accounts) changes what every later close counted
  // from, so it may only be booked when the window runs through the latest close.
  const changedAmount =
    replayed.kind === 'payelancer'
      ? replayed.rereadChanges.map((change) => `the close of ${change.date} now reads ${formatMicros(change.rereadMicros)}, not ${formatMicros(change.recordedMicros)}`)
      : [...netByOrder(replayed.orderCorrections)].map(([orderId, change]) => `order ${orderId} moves by ${formatMicros(change)}`);
  if (changedAmount.length > 0 && !reachesLatestClose) {
    throw new UsageError(
      `${source.id}: re-reading the stored replies changes amounts (${changedAmount.slice(0, 3).join('; ')}${changedAmount.length > 3 ? `; ${changedAmount.length - 3} more` : ''}), ` +
        `and the closes after ${window.to} counted from the old ones; run the backfill through the latest close (--to ${latest ?? window.to})`,
    );
  }
  const corrections = ledger.store.transaction(() => {
    const booked: JournalEntry[] = [];
    for (const date of [...replayed.days.keys()].sort()) {
      const day = correctDay(ledger, {
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
      if (replayed.kind === 'panel' && !run.dryRun) {
        recordOrderCorrections(ledger, source.id, replayed.orderCorrections.filter((correction) => correction.date === date), day.correction?.id, run);
      }
    }
    if (!run.dryRun) {
      if (replayed.kind === 'panel') moveBookedNetCharges(ledger.store, source.id, netByOrder(replayed.orderCorrections), run.now());
      else if (replayed.counter && replayed.rereadChanges.length > 0) replaceCounterState(ledger.store, source.id, replayed.counter, run.now());
    }
    return booked;
  });
  return { corrections, closesReplayed: replayed.closesReplayed, closesInWindow: replayed.closesInWindow };
}

/** How many closes a backfill re-reads for a source: a panel's from its first (order states are rebuilt), an ad network's in the window. */
export function closesToReplay(ledger: Ledger, source: SourceConfig, window: ReplayWindow): number {
  let query = ledger.store.db
    .selectFrom('close_log')
    .select((eb) => eb.fn.countAll<number>().as('closes'))
    .where('source_id', '=', source.id)
    .where('date', '<=', window.to);
  if (source.kind !== 'panel') query = query.where('date', '>=', window.from);
  return Number(ledger.store.first(query)?.closes ?? 0);
}

function netByOrder(corrections: readonly OrderCorrection[]): Map<string, bigint> {
  const net = new Map<string, bigint>();
  for (const correction of corrections) net.set(correction.orderId, (net.get(correction.orderId) ?? 0n) + correction.amountMicros);
  for (const [orderId, amount] of net) if (amount === 0n) net.delete(orderId);
  return net;
}

/** Keeps what the day's correction changed for each order, so a later replay counts it as booked. */
function recordOrderCorrections(ledger: Ledger, sourceId: string, corrections: readonly OrderCorrection[], entryId: string | undefined, run: BackfillRun): void {
  for (const correction of corrections) {
    ledger.store.run(
      ledger.store.db.insertInto('order_corrections').values({
        source_id: sourceId,
        order_id: correction.orderId,
        date: correction.date,
        amount_micros: correction.amountMicros,
        entry_id: entryId ?? null,
        run_id: run.runId,
        created_at: run.now().toISOString(),
      }),
    );
  }
}
