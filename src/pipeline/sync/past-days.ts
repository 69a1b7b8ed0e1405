import { addDays } from '../../calendar/index.js';
import type { SourceConfig } from '../../config/index.js';
import { BeforeFirstCloseError, UsageError } from '../../errors.js';
import type { SourceClosers } from './source-closer.js';
import type { SyncBooksReads } from './books/sync-books.js';

/**
 * No date a source cannot vouch for (issue 69, item 3). Asked of every source a sync takes before any is
 * contacted, so a refusal leaves the whole ledger as it was (exit 2):
 * - a close before the source's latest close: closes go forward (a past day is read again with --from/--to);
 * - a source's first close of a day before `newestDay` (the day a plain sync would close), for a kind whose API
 *   tells only the present. Example: a panel on a new ledger, the sandbox at 03-10, `--as-of 2026-03-05`: the
 *   panel answers its 03-10 balance (77.64), which would be booked as the 03-05 opening, and the next night's
 *   close would find a 16.00 rise nobody made. A kind that reads past days (a dated listing) may start on any day,
 *   and reaches the days before its first close through the backfill window (backfill-window.ts), not a night's close.
 */
export async function refusePastDays(
  closers: SourceClosers,
  books: Pick<SyncBooksReads, 'latestClose' | 'firstClose'>,
  sources: readonly SourceConfig[],
  day: { asOf: string; newestDay?: string | undefined },
): Promise<void> {
  for (const source of sources) {
    const readsPastDays = closers(source).readsPastDays === true;
    const latest = await books.latestClose(source.id);
    if (latest !== undefined && day.asOf < latest) {
      const first = readsPastDays ? await books.firstClose(source.id) : undefined;
      if (first !== undefined && day.asOf < first)
        throw new BeforeFirstCloseError(
          source.id,
          { from: day.asOf, to: day.asOf },
          { first, dayBeforeFirst: addDays(first, -1), latest, api: 'past' },
        );
      throw new UsageError(closeBeforeLatest(source.id, day.asOf, latest, readsPastDays));
    }
    if (latest === undefined && !readsPastDays && day.newestDay !== undefined && day.asOf < day.newestDay)
      throw new UsageError(pastFirstClose(source.id, day.asOf, day.newestDay));
  }
}

/**
 * The refusal of a close before the source's latest close, true for the kind: whether its API can read that day
 * again (undefined: not known where asked, and the words claim neither).
 */
export function closeBeforeLatest(
  sourceId: string,
  asOf: string,
  latest: string,
  readsPastDays: boolean | undefined,
): string {
  const again = {
    true: `its API reads past days: --from ${asOf} --to ${latest} reads them again`,
    false:
      'its API tells only the present, so that day cannot be read again: --from DATE --to DATE re-books the replies stored on earlier nights',
    unknown: '--from DATE --to DATE reads earlier days again',
  }[readsPastDays === undefined ? 'unknown' : (String(readsPastDays) as 'true' | 'false')];
  return `${sourceId}: cannot take a close as of ${asOf}: its latest close is ${latest}, and closes go forward; ${again}; nothing was contacted or written`;
}

function pastFirstClose(sourceId: string, asOf: string, newestDay: string): string {
  return (
    `${sourceId}: cannot take its first close as of ${asOf}: its API tells only the present (its figures of ` +
    `${newestDay}), which would be booked under ${asOf}. Start its books as of ${newestDay} with a plain ` +
    `\`ledgerline sync\`: its first close books what it holds then as its opening balance (its API keeps nothing ` +
    `of the days before); nothing was contacted or written`
  );
}
