import { addDays, dayNumber } from '../../calendar/index.js';

/**
 * Weekdays after `from` up to and including `to` (Saturdays and Sundays do not count; bank holidays are not
 * known, so a payout is judged a little early rather than late). Example: Friday 2026-11-13 to Monday 2026-11-16
 * is 1 business day; to Friday 2026-11-20, 5; `to` on or before `from`, 0.
 */
export function businessDaysBetween(from: string, to: string): number {
  let count = 0;
  const last = dayNumber(to);
  for (let day = dayNumber(from) + 1; day <= last; day += 1) {
    // Day 0, 1970-01-01, was a Thursday: (day + 4) % 7 is 0 on Sundays and 6 on Saturdays.
    const weekday = (day + 4) % 7;
    if (weekday !== 0 && weekday !== 6) count += 1;
  }
  return count;
}

/**
 * The last day at most `days` business days after `from` (as businessDaysBetween counts them): the last day a bank
 * line is on time for an item of `from`. Example: Saturday 2026-04-04 and 5 → Sunday 04-12 (Monday 04-13 is the
 * sixth); Friday 04-03 and 1 → Monday 04-06; Friday 04-03 and 0 → Sunday 04-05.
 */
export function lastDayWithinBusinessDays(from: string, days: number): string {
  let day = dayNumber(from);
  // Each step reaches the next weekday, then the weekend after it: at most 3 days a step, bounded by 3 × (days + 1).
  for (let left = days + 1; left > 0; left -= 1) {
    day += 1;
    while ((day + 4) % 7 === 0 || (day + 4) % 7 === 6) day += 1;
  }
  return addDays(from, day - 1 - dayNumber(from));
}
