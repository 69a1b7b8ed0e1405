import { describe, expect, it } from 'vitest';
import { addDays, CalendarDateSchema, daysBetween, isCalendarDate, lastDayOfMonth } from '../../src/rules/calendar-date.js';

describe('calendar dates', () => {
  it('accepts real dates only', () => {
    expect(['2026-02-28', '2024-02-29', '2026-12-31'].map(isCalendarDate)).toEqual([true, true, true]);
    expect(['2026-02-29', '2026-13-01', '2026-3-1', '2026-03-01T00:00:00Z', ''].map(isCalendarDate)).toEqual([false, false, false, false, false]);
    expect(CalendarDateSchema.safeParse('2026-02-30').success).toBe(false);
  });

  it('counts days across month and year ends', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2026-03-01', '2026-03-08')).toBe(7);
    expect(daysBetween('2026-03-08', '2026-03-01')).toBe(-7);
  });

  it('knows the last day of every month, leap years included', () => {
    expect([lastDayOfMonth(2026, 2), lastDayOfMonth(2024, 2), lastDayOfMonth(2026, 4), lastDayOfMonth(2026, 12)]).toEqual([
      '2026-02-28',
      '2024-02-29',
      '2026-04-30',
      '2026-12-31',
    ]);
  });
});
