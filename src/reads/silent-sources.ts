import { addDays } from '../calendar/index.js';
import { silenceVerdict, type CloseActivity, type SourceSilence } from '../rules/index.js';
import type { LedgerReads } from './books/ledger-reads.js';

/** One source's quiet stretch as `status`, `metrics` and the alerts show it; `silent` once it reaches its threshold. */
export type SourceQuiet = NonNullable<ReturnType<typeof silenceVerdict>> & { source: string };

/** A configured source as the finding needs it: its threshold, and what "new data" is for its kind. */
interface WatchedSource {
  readonly id: string;
  readonly silentAfterDays?: number | undefined;
  readonly silence: SourceSilence | undefined;
}

/** How far back closes are read: a stretch longer than this is counted from the window's first close. */
const SILENCE_WINDOW_DAYS = 60;

/**
 * Each watched source's quiet stretch as of `today`, from the closes the ledger logged and the entries booked
 * per day (the reads port), judged by its kind. A source without a close, or whose kind has no word on silence,
 * is left out. Example: a panel silent since 03-03 with a threshold of 3, read on 03-06 → quietDays 3, silent.
 */
export async function sourcesQuiet(
  reads: Pick<LedgerReads, 'closeActivity'>,
  request: { sources: readonly WatchedSource[]; defaultAfterDays: number; today: string },
): Promise<SourceQuiet[]> {
  const longest = Math.max(request.defaultAfterDays, ...request.sources.map((source) => source.silentAfterDays ?? 0));
  const closes = await reads.closeActivity(addDays(request.today, -Math.max(SILENCE_WINDOW_DAYS, 2 * longest)));
  const bySource = new Map<string, CloseActivity[]>();
  for (const close of closes) bySource.set(close.sourceId, [...(bySource.get(close.sourceId) ?? []), close]);
  return request.sources.flatMap((source): SourceQuiet[] => {
    if (source.silence === undefined) return [];
    const afterDays = source.silentAfterDays ?? request.defaultAfterDays;
    const verdict = silenceVerdict(source.id, bySource.get(source.id) ?? [], source.silence, afterDays);
    return verdict === undefined ? [] : [{ source: source.id, ...verdict }];
  });
}
