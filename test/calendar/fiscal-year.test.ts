import { describe, expect, it } from 'vitest';
import { fiscalYearOf } from '../../src/calendar/index.js';

describe('fiscalYearOf: the fiscal year that holds a date', () => {
  it('is the calendar year for a year ending 12-31', () => {
    expect(fiscalYearOf('2026-03-15', '12-31')).toEqual({ start: '2026-01-01', end: '2026-12-31' });
    expect(fiscalYearOf('2026-12-31', '12-31')).toEqual({ start: '2026-01-01', end: '2026-12-31' });
  });

  it('runs across the new year for a year ending 06-30', () => {
    expect(fiscalYearOf('2026-03-15', '06-30')).toEqual({ start: '2025-07-01', end: '2026-06-30' });
    expect(fiscalYearOf('2026-07-01', '06-30')).toEqual({ start: '2026-07-01', end: '2027-06-30' });
  });

  it("ends on February's last day in a leap year for a year ending 02-28", () => {
    expect(fiscalYearOf('2028-02-29', '02-28')).toEqual({ start: '2027-03-01', end: '2028-02-29' });
    expect(fiscalYearOf('2028-03-01', '02-28')).toEqual({ start: '2028-03-01', end: '2029-02-28' });
  });
});
