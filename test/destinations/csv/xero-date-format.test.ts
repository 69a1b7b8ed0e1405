import { describe, expect, it } from 'vitest';
import { formatDate } from '../../../src/destinations/csv/date-format.js';
import { xeroImportDateFormat } from '../../../src/destinations/csv/xero-date-format.js';

describe('xeroImportDateFormat', () => {
  it('writes 3 February month-first for a US organisation and day-first for UK, NZ and AU', () => {
    expect(formatDate('2026-02-03', xeroImportDateFormat(undefined, 'US'))).toBe('02/03/2026');
    for (const region of ['UK', 'NZ', 'AU'] as const) {
      expect(formatDate('2026-02-03', xeroImportDateFormat(undefined, region))).toBe('03/02/2026');
    }
  });

  it('lets export.dateFormat.xero override the region', () => {
    expect(xeroImportDateFormat('YYYY-MM-DD', 'US')).toBe('YYYY-MM-DD');
  });

  it('without a region writes a date no region can misread', () => {
    expect(formatDate('2026-02-03', xeroImportDateFormat(undefined, undefined))).toBe('03 Feb 2026');
  });
});
