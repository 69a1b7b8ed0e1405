import { isCalendarDate } from '../../calendar/index.js';

/**
 * The detail a reversal event names its original's date under: an order refund, the day the order's charge was
 * booked ("2026-03-30"). A source that knows it says it; one that does not (the ad network's lifetime counter
 * cannot tell which day's earnings a clawback takes back) leaves it out, and its reversal takes its own date's rule.
 */
export const ORIGINAL_DATE_DETAIL = 'originalDate';

/** How a reversal's line says its original's date, after the line's own words: "order refund (original of 2026-03-30)". */
const ORIGINAL_OF = ' (original of ';

/** A reversal line's description with its original's date: ("order refund", "2026-03-30") → "order refund (original of 2026-03-30)". */
export function withOriginalDate(description: string, date: string): string {
  return `${description}${ORIGINAL_OF}${date})`;
}

/** The original's date a line's description carries (withOriginalDate), else undefined. */
export function originalDateOf(description: string | undefined): string | undefined {
  if (description === undefined || !description.endsWith(')')) return undefined;
  const at = description.lastIndexOf(ORIGINAL_OF);
  if (at < 0) return undefined;
  const date = description.slice(at + ORIGINAL_OF.length, -1);
  return isCalendarDate(date) ? date : undefined;
}
