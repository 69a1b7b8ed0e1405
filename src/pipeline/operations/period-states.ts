import { addDays } from '../../calendar/index.js';
import type { ClosedPeriod, Ledger } from '../../ledger/index.js';
import { verifyChain } from './chain-verification.js';
import { closedPeriodChangesIn } from './closed-period-checks.js';
import { closeBlockers, periodBounds, type CloseBlocker, type CloseBlockerRequest } from './period-close.js';
import type { SealBooks } from './books/seal-books.js';

/** What the periods view is asked for: the months the ledger's entries span, and what `close --period` judges blockers by. */
interface PeriodStatesRequest extends Omit<CloseBlockerRequest, 'period' | 'allowUnlockedDestination'> {
  /** The first and last month (YYYY-MM) holding an entry; undefined for an empty ledger. */
  entryMonths: { first: string; last: string } | undefined;
}

/**
 * One month of the ledger: open (not over yet), closing (over, not closed: what blocks its close, none when it is
 * ready), or closed (its close as kept, and its chain recomputed now against the certified head).
 */
type PeriodState =
  | { period: string; periodEnd: string; state: 'open' }
  | { period: string; periodEnd: string; state: 'closing'; blockers: CloseBlocker[] }
  | { period: string; periodEnd: string; state: 'closed'; close: ClosedPeriod; chainChange: string | undefined };

/**
 * Each month from the first entry (or the first close) to today's month, newest first, with what `close --period`
 * would say of it, read only: the same blockers but the destinations' lock dates, which only the close reads
 * from the vendors (the console reads the ledger alone). The chain is recomputed once for every month.
 * Example: entries from 2024-01, 2024-01 closed, today 2024-03-05 → 2024-03 open, 2024-02 closing (its blockers),
 * 2024-01 closed (unchanged, or the entry that breaks its chain).
 */
export async function periodStates(
  books: SealBooks,
  ledger: Ledger,
  request: PeriodStatesRequest,
): Promise<PeriodState[]> {
  const closed = await books.closedPeriods();
  const months = monthsBetween(
    [closed[0]?.period, request.entryMonths?.first, request.today.slice(0, 7)],
    [request.entryMonths?.last, request.today.slice(0, 7)],
  );
  const ends = months.map((period) => periodBounds(period).periodEnd);
  const chain = await verifyChain(books, ends);
  const changes = new Map(
    closedPeriodChangesIn(closed, chain).map((change) => [change.id.slice(change.id.indexOf(':') + 1), change.message]),
  );
  const states: PeriodState[] = [];
  for (const period of months.toReversed()) {
    const { periodEnd } = periodBounds(period);
    const close = closed.find((candidate) => candidate.period === period);
    if (close !== undefined)
      states.push({ period, periodEnd, state: 'closed', close, chainChange: changes.get(period) });
    else if (periodEnd >= request.today) states.push({ period, periodEnd, state: 'open' });
    else
      states.push({
        period,
        periodEnd,
        state: 'closing',
        blockers: (await closeBlockers(books, ledger, { ...request, period, allowUnlockedDestination: true }, chain))
          .blockers,
      });
  }
  return states;
}

/** Every month from the earliest of `starts` to the latest of `ends` (undefined ones left out), in order. */
function monthsBetween(starts: readonly (string | undefined)[], ends: readonly (string | undefined)[]): string[] {
  const first = starts.filter((month) => month !== undefined).sort()[0];
  const last = ends
    .filter((month) => month !== undefined)
    .sort()
    .at(-1);
  const months: string[] = [];
  for (
    let month = first;
    month !== undefined && last !== undefined && month <= last;
    month = addDays(periodBounds(month).periodEnd, 1).slice(0, 7)
  )
    months.push(month);
  return months;
}
