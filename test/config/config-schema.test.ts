import { expect, test } from 'vitest';
import { EXPORT_DATE_FORMATS } from '../../src/config/index.js';
import { DATE_FORMATS } from '../../src/destinations/csv/date-format.js';

test('the export date formats the configuration accepts are exactly those the CSV export writes', () => {
  expect([...EXPORT_DATE_FORMATS]).toEqual([...DATE_FORMATS]);
});
