import { describe, expect, it } from 'vitest';
import { dateInTimeZone } from '../../src/calendar/index.js';

describe('the date of an instant in a time zone', () => {
  it('is the local date there, which may be a day ahead of or behind UTC', () => {
    const instant = new Date('2026-03-13T20:55:00Z');
    expect(
      ['UTC', 'Asia/Kolkata', 'America/Los_Angeles', 'Pacific/Kiritimati'].map((zone) => dateInTimeZone(zone)(instant)),
    ).toEqual(['2026-03-13', '2026-03-14', '2026-03-13', '2026-03-14']);
    expect(dateInTimeZone('America/Los_Angeles')(new Date('2026-01-01T07:59:59Z'))).toBe('2025-12-31');
  });

  it('counts summer time: 04:30 UTC is the previous day in New York in winter and the same day in summer', () => {
    const newYork = dateInTimeZone('America/New_York');
    expect([newYork(new Date('2026-01-15T04:30:00Z')), newYork(new Date('2026-07-15T04:30:00Z'))]).toEqual([
      '2026-01-14',
      '2026-07-15',
    ]);
  });

  it('serves many instants with one formatter and refuses an unknown zone at once', () => {
    const utc = dateInTimeZone('UTC');
    expect(
      ['2026-03-01T00:00:00Z', '2026-03-01T23:59:59.999Z', '2026-03-02T00:00:00Z'].map((text) => utc(new Date(text))),
    ).toEqual(['2026-03-01', '2026-03-01', '2026-03-02']);
    expect(() => dateInTimeZone('Mars/Olympus_Mons')).toThrow(RangeError);
  });
});
