import { describe, expect, it } from 'vitest';
import { bookingPairs } from '../../../src/destinations/datev/booking-pairs.js';
import { encodeIn } from '../../../src/destinations/code-pages.js';
import { belegfeld } from '../../../src/destinations/datev/datev-file.js';

const rules = {
  order_charge: { debit: 'smm_services_expense', credit: 'panel_prepaid', description: 'SMM panel order charges' },
  order_refund: { debit: 'panel_prepaid', credit: 'smm_services_expense', description: 'SMM panel order refunds' },
  split: {
    debit: [
      { account: 'a', share: 1 },
      { account: 'b', share: 1 },
    ],
    credit: 'c',
  },
};

describe('bookingPairs: an entry as pairs of one account against another', () => {
  it('pairs a daily entry event by event when its events give its lines', () => {
    // Two charges of 2.70 and 1.30 and a refund of 0.50: the daily entry sums them per account and side.
    const entry = {
      lines: [
        { account: 'smm_services_expense', currency: 'USD', cents: 400n },
        { account: 'panel_prepaid', currency: 'USD', cents: -400n },
        { account: 'panel_prepaid', currency: 'USD', cents: 50n },
        { account: 'smm_services_expense', currency: 'USD', cents: -50n },
      ],
    };
    const events = [
      { kind: 'order_charge', currency: 'USD', amountMicros: 2_700_000n, ref: 'R-1' },
      { kind: 'order_charge', currency: 'USD', amountMicros: 1_300_000n, ref: 'R-2' },
      { kind: 'order_refund', currency: 'USD', amountMicros: 500_000n, ref: 'R-1' },
    ];
    const { pairs, byEvent } = bookingPairs(entry, events, rules, 'the day');
    expect(byEvent).toBe(true);
    expect(pairs.map((pair) => [pair.debit, pair.credit, pair.cents, pair.text])).toEqual([
      ['smm_services_expense', 'panel_prepaid', 270n, 'SMM panel order charges: R-1'],
      ['smm_services_expense', 'panel_prepaid', 130n, 'SMM panel order charges: R-2'],
      ['panel_prepaid', 'smm_services_expense', 50n, 'SMM panel order refunds: R-1'],
    ]);
  });

  it('pairs the lines, largest against largest, when an event is not whole cents', () => {
    const entry = {
      lines: [
        { account: 'a', currency: 'USD', cents: 500n },
        { account: 'b', currency: 'USD', cents: 100n },
        { account: 'c', currency: 'USD', cents: -400n },
        { account: 'd', currency: 'USD', cents: -200n },
      ],
    };
    const events = [{ kind: 'order_charge', currency: 'USD', amountMicros: 1_234_567n, ref: 'R-9' }];
    const { pairs, byEvent } = bookingPairs(entry, events, rules, 'the day');
    expect(byEvent).toBe(false);
    expect(pairs.map((pair) => [pair.debit, pair.credit, pair.cents])).toEqual([
      ['a', 'c', 400n],
      ['a', 'd', 100n],
      ['b', 'd', 100n],
    ]);
  });

  it('pairs the lines when a rule splits a side', () => {
    const entry = {
      lines: [
        { account: 'a', currency: 'USD', cents: 50n },
        { account: 'b', currency: 'USD', cents: 50n },
        { account: 'c', currency: 'USD', cents: -100n },
      ],
    };
    const events = [{ kind: 'split', currency: 'USD', amountMicros: 1_000_000n, ref: 'x' }];
    expect(bookingPairs(entry, events, rules, 'the day').byEvent).toBe(false);
  });
});

describe('the code pages and DATEV fields', () => {
  it('encodes Windows-1252 and ISO 8859-15, and refuses a character they cannot hold by name', () => {
    expect([...encodeIn('windows-1252', 'Gebühr 5 €', () => 'here')]).toEqual([
      0x47, 0x65, 0x62, 0xfc, 0x68, 0x72, 0x20, 0x35, 0x20, 0x80,
    ]);
    expect([...encodeIn('iso-8859-15', 'é€', () => 'here')]).toEqual([0xe9, 0xa4]);
    expect(() => encodeIn('windows-1252', 'ok ✓', (offset) => `offset ${offset}`)).toThrow(
      'offset 3 holds "✓" (U+2713), which windows-1252 cannot hold',
    );
    expect(() => encodeIn('iso-8859-15', '¤', () => 'the cell')).toThrow('"¤" (U+00A4)');
  });

  it("makes an entry's id a Belegfeld 1 of DATEV's characters, at most 36, two long ids kept apart", () => {
    expect(belegfeld('je:smm-panel:2026-03-02:r2')).toBe('je-smm-panel-2026-03-02-r2');
    const long = belegfeld('je:a-very-long-source-name-indeed:2026-03-02');
    expect(long).toMatch(/^[A-Za-z0-9$&%*+\-/]{36}$/);
    expect(long).not.toBe(belegfeld('je:a-very-long-source-name-indeed:2026-03-03'));
  });
});
