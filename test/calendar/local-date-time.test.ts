import { describe, expect, it } from 'vitest';
import { localDateTime } from '../../src/calendar/index.js';

describe('an instant written as the wall-clock time of a time zone', () => {
  it('carries the zone offset, so the text starts with the local date and still names the same instant', () => {
    const instant = new Date('2026-03-13T20:55:00.250Z');
    const written = ['UTC', 'Asia/Kolkata', 'America/Los_Angeles', 'Pacific/Chatham'].map((zone) =>
      localDateTime(zone)(instant),
    );
    expect(written).toEqual([
      '2026-03-13T20:55:00.250Z',
      '2026-03-14T02:25:00.250+05:30',
      '2026-03-13T13:55:00.250-07:00',
      '2026-03-14T10:40:00.250+13:45',
    ]);
    expect(written.map((text) => new Date(text).getTime())).toEqual(written.map(() => instant.getTime()));
  });

  it('follows summer time, and writes midnight as 00, not 24', () => {
    const newYork = localDateTime('America/New_York');
    expect([newYork(new Date('2026-01-15T04:30:00Z')), newYork(new Date('2026-07-15T04:00:00Z'))]).toEqual([
      '2026-01-14T23:30:00.000-05:00',
      '2026-07-15T00:00:00.000-04:00',
    ]);
  });
});
