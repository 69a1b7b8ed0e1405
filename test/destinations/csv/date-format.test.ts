import { describe, expect, it } from 'vitest';
import { formatDate } from '../../../src/destinations/csv/index.js';
import { EXPORT_DATE_FORMATS } from '../../../src/rules/index.js';

describe('formatDate', () => {
  it('writes one ledger date in every supported format', () => {
    expect(EXPORT_DATE_FORMATS.map((format) => formatDate('2026-03-02', format))).toEqual([
      '2026-03-02',
      '02/03/2026',
      '03/02/2026',
      '02 Mar 2026',
    ]);
  });

  it('knows leap years', () => {
    expect(formatDate('2024-02-29', 'DD MMM YYYY')).toBe('29 Feb 2024');
    expect(formatDate('2000-02-29', 'DD/MM/YYYY')).toBe('29/02/2000');
    expect(() => formatDate('1900-02-29', 'DD/MM/YYYY')).toThrow('not a calendar date');
    expect(() => formatDate('2025-02-29', 'DD/MM/YYYY')).toThrow('not a calendar date');
  });

  it('refuses what is not a YYYY-MM-DD calendar date', () => {
    for (const text of ['2026-3-2', '2026-13-01', '02/03/2026', ''])
      expect(() => formatDate(text, 'YYYY-MM-DD')).toThrow(
        `not a calendar date in YYYY-MM-DD form: ${JSON.stringify(text)}`,
      );
    expect(() => formatDate('2026-04-31', 'DD/MM/YYYY')).toThrow(
      'not a calendar date in YYYY-MM-DD form: "2026-04-31"',
    );
  });
});
