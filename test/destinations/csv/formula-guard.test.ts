import { describe, expect, it } from 'vitest';
import { guardFormula } from '../../../src/destinations/csv/index.js';

describe('guardFormula', () => {
  it('prefixes one single quote to text a spreadsheet would run as a formula', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '\uFF1D1'].map(guardFormula)).toEqual([
      "'=1+1",
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\tx",
      "'\rx",
      "'\uFF1D1",
    ]);
  });

  it('leaves other text alone, including an empty cell and a formula character further in', () => {
    expect(['', 'Refund 12', 'a=b', ' =1', "'=1", 'je:smm-panel:2026-03-02'].map(guardFormula)).toEqual([
      '',
      'Refund 12',
      'a=b',
      ' =1',
      "'=1",
      'je:smm-panel:2026-03-02',
    ]);
  });
});
