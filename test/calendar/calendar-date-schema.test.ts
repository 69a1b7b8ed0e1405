import { describe, expect, it } from 'vitest';
import { calendarDateSchemaSaying, CalendarDateSchema } from '../../src/calendar/index.js';

describe('the calendar-date schema', () => {
  it('accepts real dates only', () => {
    expect(CalendarDateSchema.safeParse('2026-02-30').success).toBe(false);
    expect(CalendarDateSchema.safeParse('2026-02-28')).toEqual({ success: true, data: '2026-02-28' });
  });

  it('words the problem as the boundary asks', () => {
    const result = calendarDateSchemaSaying('must be a date written YYYY-MM-DD').safeParse('2026-3-1');
    expect(result.success ? undefined : result.error.issues[0]?.message).toBe('must be a date written YYYY-MM-DD');
  });
});
