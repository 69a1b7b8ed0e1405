import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMappings } from '../../../src/config/index.js';
import {
  draftAdjustingEntry,
  type AdjustmentLineText,
  type AdjustmentTypedIn,
} from '../../../src/pipeline/adjustments/adjusting-entry.js';

const mappings = loadMappings({
  chartPath: resolve(import.meta.dirname, '../../../mappings/default.yaml'),
  destinations: [],
});

function refusal(
  typedIn: AdjustmentTypedIn,
  lines: AdjustmentLineText[],
  reason = 'bank fee on the April statement',
): string {
  try {
    draftAdjustingEntry(
      { entryId: 'je:adjustment:2026-04-02:1', date: '2026-04-02', currency: 'USD', reason, lines, typedIn },
      mappings,
    );
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('not refused');
}

const FEE: AdjustmentLineText[] = [
  { side: 'debit', text: 'bank_fees=2.505' },
  { side: 'credit', text: 'suspense=2.505' },
];

describe('a refused adjusting entry names what the person typed, where they typed it', () => {
  it("on the command line, adjust's flags", () => {
    expect(refusal('flags', FEE)).toBe(
      '--debit bank_fees=2.505: 2.505 has more than the 2 decimal places USD is written with',
    );
    expect(refusal('flags', FEE, ' ')).toBe('an adjusting entry needs its reason: --reason "what happened and why"');
  });

  it("in the console, the form's fields, never a flag", () => {
    expect(refusal('form', FEE)).toBe(
      'Debit (bank_fees, 2.505): 2.505 has more than the 2 decimal places USD is written with',
    );
    expect(refusal('form', FEE, ' ')).toBe(
      'an adjusting entry needs its reason: write what happened and why in Reason',
    );
    expect(refusal('form', [{ side: 'debit', text: '=2.50' }, FEE[1]!])).toBe(
      'Debit (, 2.50): choose the debit account and write its amount, e.g. 28.71',
    );
    expect(
      refusal('form', [
        { side: 'debit', text: 'suspence=2.50' },
        { side: 'credit', text: 'bank_fees=2.50' },
      ]),
    ).toMatch(/^Debit \(suspence, 2\.50\): no account "suspence" in /);
    for (const message of [refusal('form', FEE), refusal('form', FEE, ' ')]) expect(message).not.toMatch(/--[a-z]/);
  });
});
