import { describe, expect, it } from 'vitest';
import { CalendarDateSchema } from '../../src/calendar/index.js';

describe('the calendar-date schema', () => {
  it('accepts real dates only', () => {
    expect(CalendarDateSchema.safeParse('2026-02-30').success).toBe(false);
    expect(CalendarDateSchema.safeParse('2026-02-28')).toEqual({ success: true, data: '2026-02-28' });
  });
});
