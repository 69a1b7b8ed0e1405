import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { readWire } from '../../../src/http/wire-readers.js';
import { parseJsonExact } from '../../../src/money/index.js';
import { webhookCharge, webhookPayout } from '../../../src/sources/webhooks/webhook-wire-values.js';

/** What a reader makes of `field` in a JSON body as the receiver parses it (numbers kept as their text). */
function readField(reader: z.ZodType, fieldJson: string): unknown {
  const read = readWire(z.object({ field: reader }), parseJsonExact(`{"field": ${fieldJson}}`));
  return read.ok ? (read.value as { field: unknown }).field : read.reason;
}

describe('webhook amounts', () => {
  it('read a payout of any spelling exactly: trailing zeros, exponent notation, text or a JSON number', () => {
    const spellings = ['"0.41"', '"0.4100000"', '0.4100000', '4.1e-1', '"41E-2"', '0.41000000000000000000000'];
    expect(spellings.map((json) => readField(webhookPayout, json))).toEqual(Array(spellings.length).fill(410_000n));
    expect(['1.0e-5', '"0.000001"', '1e2'].map((json) => readField(webhookPayout, json))).toEqual([
      10n,
      1n,
      100_000_000n,
    ]);
  });

  it('refuse a payout finer than a micro-unit, naming the field and the figure as sent', () => {
    expect([readField(webhookPayout, '"0.4100001"'), readField(webhookPayout, '1e-7')]).toEqual([
      'field: expected a decimal amount, got text "0.4100001" (more than 6 decimal places)',
      'field: expected a decimal amount, got text "1e-7" (more than 6 decimal places)',
    ]);
  });

  it('read a panel charge finer than a micro-unit rounded half-even, as the panel replies are read', () => {
    expect(
      ['"0.0435789"', '0.0435789', '"0.0000005"', '"0.0000015"', '4.35789e-2', '"4.5000000"'].map((json) =>
        readField(webhookCharge, json),
      ),
    ).toEqual([43_579n, 43_579n, 0n, 2n, 43_579n, 4_500_000n]);
  });

  it('still refuse what is not an amount, in the payout and the charge alike', () => {
    expect([
      readField(webhookCharge, '"4,50"'),
      readField(webhookPayout, 'true'),
      readField(webhookCharge, '"1e99"'),
    ]).toEqual([
      'field: expected a decimal amount, got text "4,50" (expected digits with an optional decimal point)',
      'field: expected a decimal amount, got boolean true',
      'field: expected a decimal amount, got text "1e99" (an exponent beyond ±40)',
    ]);
  });
});
