import { describe, expect, it } from 'vitest';
import {
  addDays,
  calendarDays,
  dayNumber,
  daysBetween,
  isCalendarDate,
  lastDayOfMonth,
} from '../../src/calendar/index.js';

describe('calendar dates', () => {
  it('accepts real dates only', () => {
    expect(['2026-02-28', '2024-02-29', '2026-12-31'].map(isCalendarDate)).toEqual([true, true, true]);
    expect(['2026-02-29', '2026-13-01', '2026-3-1', '2026-03-01T00:00:00Z', ''].map(isCalendarDate)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('follows the Gregorian leap years and refuses years before 0100', () => {
    expect(
      ['2000-02-29', '1900-02-29', '2100-02-29', '2026-04-31', '2026-00-10', '2026-01-00'].map(isCalendarDate),
    ).toEqual([true, false, false, false, false, false]);
    expect(['0099-12-31', '0050-01-01', '0100-01-01'].map(isCalendarDate)).toEqual([false, false, true]);
  });

  it('counts days across month and year ends', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2026-03-01', '2026-03-08')).toBe(7);
    expect(daysBetween('2026-03-08', '2026-03-01')).toBe(-7);
  });

  it('numbers days from 1970-01-01 and walks back over a leap day', () => {
    expect([
      dayNumber('1970-01-01'),
      dayNumber('1970-01-02'),
      dayNumber('1969-12-31'),
      dayNumber('2026-03-01'),
    ]).toEqual([0, 1, -1, 20513]);
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });

  it('refuses arithmetic on what is not a calendar date, naming it', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(new RangeError('not a calendar date YYYY-MM-DD: "2026-02-30"'));
    expect(() => daysBetween('2026-03-01', '03/08/2026')).toThrow(
      new RangeError('not a calendar date YYYY-MM-DD: "03/08/2026"'),
    );
  });

  it('knows the last day of every month, leap years included', () => {
    expect([
      lastDayOfMonth(2026, 2),
      lastDayOfMonth(2024, 2),
      lastDayOfMonth(2026, 4),
      lastDayOfMonth(2026, 12),
    ]).toEqual(['2026-02-28', '2024-02-29', '2026-04-30', '2026-12-31']);
  });

  it('lists every day of a window across a leap day and a year end, the same days addDays walks', () => {
    expect(calendarDays('2024-02-28', '2024-03-01')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(calendarDays('2025-12-31', '2026-01-01')).toEqual(['2025-12-31', '2026-01-01']);
    expect(calendarDays('2026-03-01', '2026-03-01')).toEqual(['2026-03-01']);
    expect(calendarDays('2026-03-02', '2026-03-01')).toEqual([]);
    const walked: string[] = [];
    for (let day = '2023-11-15'; day <= '2025-03-15'; day = addDays(day, 1)) walked.push(day);
    expect(calendarDays('2023-11-15', '2025-03-15')).toEqual(walked);
    expect(() => calendarDays('2026-02-30', '2026-03-01')).toThrow(/2026-02-30/);
  });
});
