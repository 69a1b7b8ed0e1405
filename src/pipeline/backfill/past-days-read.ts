import type { SourceConfig } from '../../config/index.js';
import { addDays } from '../../calendar/index.js';
import type { SourceSyncReport } from '../runs/index.js';
import type { BackfillBooksReads } from './books/backfill-books.js';
import type { SourceReplayers } from './source-replayer.js';
import type { ReplayWindow } from './replayed-closes.js';

/**
 * A live close of `day` for `sourceIds`, as `sync --as-of` takes it (the sync's, handed in by the command); with
 * `history`, a day before their first close (SyncRequest.history).
 */
export type LiveClose = (
  day: string,
  sourceIds: readonly string[],
  history?: Map<string, unknown>,
) => Promise<readonly SourceSyncReport[]>;

/**
 * The window's days a source whose kind reads past days (a listing with dates) has no close of yet, read live
 * after the replay, day by day (issue 69, item 8). Example: a listing source on a new ledger, --from 10-01 --to
 * 10-02: nothing to re-read, then the closes of 10-01 and 10-02 read from its API and booked. A kind that tells only
 * the present has no past day to read: its window is the replay alone.
 */
export async function readPastDays(
  sources: readonly SourceConfig[],
  kinds: SourceReplayers,
  books: BackfillBooksReads,
  window: ReplayWindow,
  closeLive: LiveClose,
): Promise<SourceSyncReport[]> {
  const days = new Map<string, string[]>();
  for (const source of sources) {
    if (kinds(source).readsPastDays !== true) continue;
    const latest = await books.latestClose(source.id);
    const first = latest === undefined || latest < window.from ? window.from : addDays(latest, 1);
    for (let day = first; day <= window.to; day = addDays(day, 1)) days.set(day, [...(days.get(day) ?? []), source.id]);
  }
  const reports: SourceSyncReport[] = [];
  for (const day of [...days.keys()].sort()) reports.push(...(await closeLive(day, days.get(day)!)));
  return reports;
}

/**
 * The days before the first close of each source whose kind reads past days, when the window starts before it (issue
 * 83 item 6): closed live, day by day, from the window's first day through the day before that close, whatever the
 * window's end (a gap would leave days outside both the books and the opening), each close starting from the state
 * the day before left, the first from none: it books the source's opening of the window's first day. The replay
 * through the old first close then reverses that close's opening on its day (stagedReplayer re-reads the closes in
 * date order). Example: a wallet first closed on 03-10 (opening 140.50), --from 03-01: 03-01 books its opening 100.00
 * and the days' moves (+40.50), and the replay of 03-10 books Dr opening_balance_equity 140.50 / Cr the wallet.
 */
export async function readHistory(
  sources: readonly SourceConfig[],
  kinds: SourceReplayers,
  books: BackfillBooksReads,
  window: ReplayWindow,
  closeLive: LiveClose,
): Promise<{ reports: SourceSyncReport[]; firstCloses: Map<string, string> }> {
  const firstCloses = new Map<string, string>();
  const days = new Map<string, string[]>();
  for (const source of sources) {
    if (kinds(source).readsPastDays !== true) continue;
    const first = await books.firstClose(source.id);
    if (first === undefined || window.from >= first) continue;
    firstCloses.set(source.id, first);
    for (let day = window.from; day < first; day = addDays(day, 1))
      days.set(day, [...(days.get(day) ?? []), source.id]);
  }
  const chain = new Map<string, unknown>();
  const reports: SourceSyncReport[] = [];
  for (const day of [...days.keys()].sort()) reports.push(...(await closeLive(day, days.get(day)!, chain)));
  return { reports, firstCloses };
}

/** One report per source: a source's replay and its live days read as one (events and entries summed, the first error kept). */
export function mergedBySource(reports: readonly SourceSyncReport[]): SourceSyncReport[] {
  const bySource = new Map<string, SourceSyncReport>();
  for (const report of reports) {
    const held = bySource.get(report.sourceId);
    if (held === undefined) {
      bySource.set(report.sourceId, report);
      continue;
    }
    const error = held.error ?? report.error;
    const payouts = held.payouts || report.payouts ? [...(held.payouts ?? []), ...(report.payouts ?? [])] : undefined;
    bySource.set(report.sourceId, {
      ...held,
      outcome: held.outcome === 'failed' || report.outcome === 'failed' ? 'failed' : 'booked',
      events: held.events + report.events,
      entries: [...held.entries, ...report.entries],
      findings: [...held.findings, ...report.findings],
      quarantined: held.quarantined + report.quarantined,
      ...(error === undefined ? {} : { error }),
      ...(payouts === undefined ? {} : { payouts }),
    });
  }
  return [...bySource.values()];
}
