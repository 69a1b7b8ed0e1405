import type { CounterState, DaySequence } from '../../../rules/index.js';

/**
 * The counter's state after a backfill that re-read the latest close: the replayed figure, with whichever day's
 * event count is further on, the live one or the replayed one. Event ids number a day's moves
 * (`…:earnings:2026-03-30`, then `…:2026-03-30:2`); a re-read that finds fewer moves than were booked must not
 * hand a later close of that day an id the books hold already, or that close's move would read as booked.
 * Example: 03-30 was closed twice live, each a rise (ids `…:2026-03-30` and `…:2026-03-30:2`, count 2); today's
 * reader finds one rise in them (count 1). The adopted state keeps count 2, so a third close that day books
 * `…:2026-03-30:3`.
 */
export function adoptReplayedCounter(live: CounterState | undefined, replayed: CounterState): CounterState {
  const further = furtherSequence(live?.eventSequence, replayed.eventSequence);
  return further === replayed.eventSequence ? replayed : { ...replayed, eventSequence: further };
}

function furtherSequence(a: DaySequence | undefined, b: DaySequence | undefined): DaySequence | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.date !== b.date) return a.date > b.date ? a : b;
  return a.count > b.count ? a : b;
}
