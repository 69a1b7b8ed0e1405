import type { Books } from './books.js';
import { sourceKinds } from '../pipeline/kinds/index.js';
import type { SyncDependencies, SyncOutcome, SyncRequest } from '../pipeline/runs/index.js';
import { backfillBooks, backfillWindow } from '../pipeline/backfill/index.js';
import { syncNight, parkedSources, syncBooks } from '../pipeline/sync/index.js';

/**
 * The day's close (`asOf`), or the window's replay (`request.window`), whose days after the latest close of a kind
 * that reads past days are closed live, day by day, as the day's close is taken.
 */
export function closeOrReplay(
  books: Books,
  deps: SyncDependencies,
  asOf: string | undefined,
  request: Omit<SyncRequest, 'asOf'> & { window?: { from: string; to: string } },
): Promise<SyncOutcome> {
  const closing = { ...deps, closers: sourceKinds.of };
  const { window } = request;
  if (window === undefined) return syncNight(closing, { ...request, asOf: asOf! }, books.of(syncBooks));
  const closeLive = async (day: string, ids: readonly string[], history?: Map<string, unknown>) =>
    (await syncNight(closing, { ...request, asOf: day, sourceIds: ids, history }, books.of(syncBooks))).report.sources;
  return backfillWindow(
    { ...deps, replayers: sourceKinds.of, repoll: sourceKinds.ordersFileRepolls(books.of(syncBooks)), closeLive },
    { ...request, window },
    books.of(backfillBooks),
  );
}

/** A source the queue parked is unparked by a local close of it that books (`sync --source ID`). */
export async function unparkBooked(books: Books, outcome: SyncOutcome): Promise<void> {
  const booked = outcome.summary.sources.filter((source) => source.outcome === 'booked');
  await books.of(parkedSources).unpark(booked.map((source) => source.sourceId));
}
