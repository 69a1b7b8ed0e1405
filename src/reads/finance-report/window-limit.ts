import { addDays, daysBetween } from '../../calendar/index.js';

/**
 * The longest window a report reads: 100 years (36,525 days). Books are kept for 5 to 10 years by law
 * and no business's ledger is older than a century, so no real window is refused; a slip of the year
 * (--to 9999-12-31 for 2026-12-31) is, at once, instead of a day-by-day read of eight thousand years.
 */
const LONGEST_WINDOW_YEARS = 100;
const DAYS_PER_YEAR = 365.25;
/** The calendar's last day is 9999-12-31; a window reads the day after its end, so it ends a day earlier. */
const LATEST_WINDOW_END = '9999-12-30';

/**
 * Why a window from `from` to `to` cannot be read, or undefined when it can; `years` narrows the limit.
 * Example: 2026-01-01 to 9999-12-31 spans 2,913,028 days, more than 100 years (36,525 days): refused.
 */
export function windowRefusal(from: string, to: string, years = LONGEST_WINDOW_YEARS): string | undefined {
  const longest = Math.round(years * DAYS_PER_YEAR);
  if (to > LATEST_WINDOW_END)
    return `the window ends ${to}, after ${LATEST_WINDOW_END}, the last day a window may end on: choose an earlier end`;
  const days = daysBetween(from, to) + 1;
  if (days <= longest) return undefined;
  return (
    `the window ${from} to ${to} spans ${days} days, more than ${years} years (${longest} days), ` +
    `the longest read at once: choose one within ${years} years, e.g. ${from} to ${addDays(from, longest - 1)}`
  );
}
