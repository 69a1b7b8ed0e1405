import { dayNumber } from '../../calendar/index.js';

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
