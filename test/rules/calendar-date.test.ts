import { describe, expect, it } from 'vitest';
import { CalendarDateSchema } from '../../src/rules/calendar-date.js';

describe('calendar dates in the rules', () => {
  it('accepts real dates only', () => {
    expect(CalendarDateSchema.safeParse('2026-02-30').success).toBe(false);
    expect(CalendarDateSchema.safeParse('2026-02-28')).toEqual({ success: true, data: '2026-02-28' });
  });
});
