import { describe, expect, it } from 'vitest';
import { readIsoDateTime } from '../../src/calendar/index.js';

describe('readIsoDateTime', () => {
  it('reads a date-time with fraction and offset into its written fields', () => {
    expect(readIsoDateTime('2026-03-13T22:55:00.50+02:00')).toEqual({
      date: '2026-03-13',
      year: 2026,
      month: 3,
      day: 13,
      time: { separator: 'T', hour: 22, minute: 55, second: 0, fraction: '50' },
      zone: { kind: 'offset', sign: 1, hours: 2, minutes: 0, minutesWritten: true },
    });
  });

  it('reads a plain date, a space separator, a lower-case z and an offset without minutes', () => {
    expect(readIsoDateTime('2026-03-02')).toEqual({ date: '2026-03-02', year: 2026, month: 3, day: 2 });
    expect(readIsoDateTime('2026-03-02 10:30z')).toMatchObject({
      time: { separator: ' ', hour: 10, minute: 30, second: 0, fraction: '' },
      zone: { kind: 'utc', mark: 'z' },
    });
    expect(readIsoDateTime('2026-03-02T10:30-05')).toMatchObject({
      zone: { kind: 'offset', sign: -1, hours: 5, minutes: 0, minutesWritten: false },
    });
  });

  it('checks no ranges, leaving them to the boundary, but refuses what is not ISO 8601', () => {
    expect(readIsoDateTime('2026-02-30T25:61')).toMatchObject({ day: 30, time: { hour: 25, minute: 61 } });
    for (const text of [
      'March 13, 2026',
      '2026-3-13',
      '2026-03-13T20',
      '2026-03-13T20:55:00+2',
      '20260313T2055Z',
      ' 2026-03-13',
    ]) {
      expect(readIsoDateTime(text)).toBeUndefined();
    }
  });
});
