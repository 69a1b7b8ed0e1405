import { addDays, daysBetween, lastDayOfMonth } from '../../../calendar/index.js';
import type { PayoutSchedule } from '../../../rules/index.js';

/**
 * Payout dates d with after < d ≤ through, ascending.
 * payoutDatesBetween("2026-01-20", "2026-03-31", { kind: "month-end" }) → ["2026-01-31", "2026-02-28", "2026-03-31"];
 * with day 15 → ["2026-02-15", "2026-03-15"]; with day 31 → ["2026-01-31", "2026-02-28", "2026-03-31"].
 */
export function payoutDatesBetween(after: string, through: string, schedule: PayoutSchedule): string[] {
  if (daysBetween(after, through) < 0)
    throw new RangeError(`payout window ends (${through}) before it starts (${after})`);
  const inWindow = (date: string): boolean => daysBetween(after, date) > 0 && daysBetween(date, through) >= 0;
  if (schedule.kind === 'dates') return [...new Set(schedule.dates)].filter(inWindow).sort();
  const dates: string[] = [];
  for (let index = monthIndex(addDays(after, 1)); index <= monthIndex(through); index += 1) {
    const year = Math.floor(index / 12);
    const month = (index % 12) + 1;
    const monthEnd = lastDayOfMonth(year, month);
    const date = schedule.kind === 'month-end' ? monthEnd : dayOfMonthOrLast(year, month, schedule.day, monthEnd);
    if (inWindow(date)) dates.push(date);
  }
  return dates;
}

/** Day `day` of the month, or the month's last day when it is shorter: (2026, 4, 31) → "2026-04-30". */
function dayOfMonthOrLast(year: number, month: number, day: number, monthEnd: string): string {
  const wanted = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return wanted > monthEnd ? monthEnd : wanted;
}

/** Months counted from year 0: "2026-03-31" → 2026 × 12 + 2. */
function monthIndex(date: string): number {
  const [year, month] = date.split('-').map(Number) as [number, number];
  return year * 12 + month - 1;
}

interface CrossedPayoutDate {
  payoutDate: string;
  /** No close was taken on the payout date itself; the payout is still dated on it. */
  missed: boolean;
}

/**
 * The payout dates a close must settle: those after the previous close, up to
 * and including this one. Syncs may skip days: previous close 2026-03-29, this
 * close 2026-04-02 → [{ payoutDate: "2026-03-31", missed: true }]. For each
 * one, in order, the pipeline books payoutDue dated on the payout date with the
 * receivable as of that date: the ledger balance of payelancer_receivable for
 * the source over entries dated on or before it. For a missed date that is the
 * receivable at the last close on or before it (this close's earnings are
 * dated later), less any payout booked for an earlier crossed date.
 */
export function payoutDatesCrossed(
  previousCloseDate: string,
  thisCloseDate: string,
  schedule: PayoutSchedule,
): CrossedPayoutDate[] {
  return payoutDatesBetween(previousCloseDate, thisCloseDate, schedule).map((payoutDate) => ({
    payoutDate,
    missed: payoutDate !== thisCloseDate,
  }));
}
