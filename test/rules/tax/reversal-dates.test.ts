import { describe, expect, it } from 'vitest';
import { JournalDraft, lineTaxCodes, type TaxBook } from '../../../src/rules/index.js';
import { originalDateOf, withOriginalDate } from '../../../src/rules/tax/original-date.js';
import { reversalLineDate } from '../../../src/rules/tax/reversal-dates.js';
import type { SourceEvent } from '../../../src/rules/source-event.js';
import { DEFAULT_CHART, DEFAULT_TAXABLE } from '../default-chart.js';

/** The panel charged UK VAT (INPUT2) until 2026-03-14 and is reverse-charged from 2026-03-15: a dated rule. */
const book: TaxBook = {
  flows: {
    order_charge: [
      { code: 'INPUT2', rate: '20' },
      { code: 'REVERSECHARGES', rate: '20', reverseCharge: true, from: '2026-03-15' },
    ],
  },
  chart: {
    events: DEFAULT_CHART,
    profitAndLoss: new Set(['smm_services_expense', 'ad_revenue', 'rounding']),
    taxable: DEFAULT_TAXABLE,
  },
  revenue: new Set(['ad_revenue']),
};

const event = (id: string, kind: string, amountMicros: bigint, detail: Record<string, string> = {}): SourceEvent => ({
  id,
  sourceId: 'smm-panel',
  kind,
  date: '2026-03-20',
  currency: 'GBP',
  amountMicros,
  ref: id,
  detail,
});

describe("a reversal is coded by the rule in force on its original's date (issue 70)", () => {
  it("a refund names its original's day only where that day's rule is another than its own", () => {
    expect(reversalLineDate(event('r', 'order_refund', 1n, { originalDate: '2026-03-10' }), book)).toBe('2026-03-10');
    // 03-16 is under the refund's own rule (REVERSECHARGES), so nothing to say; a charge is no reversal.
    expect(reversalLineDate(event('r', 'order_refund', 1n, { originalDate: '2026-03-16' }), book)).toBeUndefined();
    expect(reversalLineDate(event('c', 'order_charge', 1n, { originalDate: '2026-03-10' }), book)).toBeUndefined();
    expect(reversalLineDate(event('r', 'order_refund', 1n), book)).toBeUndefined();
    // A rule of the refund's own wins over its original's, whatever the day.
    const own = { ...book, flows: { ...book.flows, order_refund: [{ code: 'INPUT2', rate: '20' }] } };
    expect(reversalLineDate(event('r', 'order_refund', 1n, { originalDate: '2026-03-10' }), own)).toBeUndefined();
  });

  it("a daily entry books a refund of a charge before the change at the charge's rule, on a line of its own", () => {
    const draft = new JournalDraft(DEFAULT_CHART, 'day', book);
    // On 03-20: a charge of 10.00 (reverse-charged), a refund of 0.60 of an order charged 03-16 (reverse-charged
    // too) and a refund of 1.20 of an order charged 03-10, when the panel still charged VAT (INPUT2 at 20 %).
    draft.add(event('c1', 'order_charge', 10_000_000n));
    draft.add(event('r1', 'order_refund', 600_000n, { originalDate: '2026-03-16' }));
    draft.add(event('r2', 'order_refund', 1_200_000n, { originalDate: '2026-03-10' }));
    const [booked] = draft.entries(new Set());
    expect(booked!.lines.map((line) => [line.account, Number(line.amountMicros) / 1e6, line.description])).toEqual([
      ['smm_services_expense', 10, 'SMM order charges'],
      ['vat_input', 2, 'VAT: SMM order charges'],
      ['vat_output', -2, 'VAT: SMM order charges'],
      ['panel_prepaid', -10, 'SMM order charges'],
      ['panel_prepaid', 1.8, 'SMM order refunds'],
      ['smm_services_expense', -0.6, 'SMM order refunds'],
      ['vat_input', -0.12, 'VAT: SMM order refunds'],
      ['vat_output', 0.12, 'VAT: SMM order refunds'],
      // 1.20 × 20 / 120 = 0.20 of the input VAT the 03-10 charge reclaimed comes back: 1.00 net.
      ['smm_services_expense', -1, 'SMM order refunds (original of 2026-03-10)'],
      ['vat_input', -0.2, 'VAT: SMM order refunds (original of 2026-03-10)'],
    ]);
    // Read back from the stored entry (as every destination and the return read it), the line says its rule.
    const codes = lineTaxCodes(
      {
        ...booked!,
        lines: booked!.lines.map((line) => ({ ...line, cents: line.amountMicros / 10_000n })),
      },
      book.chart,
      book.flows,
    );
    expect(codes.map((code) => code?.code)).toEqual([
      'REVERSECHARGES',
      undefined,
      undefined,
      undefined,
      undefined,
      'REVERSECHARGES',
      undefined,
      undefined,
      'INPUT2',
      undefined,
    ]);
  });

  it('a line says the date after its words, and only a calendar date reads back', () => {
    expect(withOriginalDate('order refund', '2026-03-10')).toBe('order refund (original of 2026-03-10)');
    expect(originalDateOf('order refund (original of 2026-03-10)')).toBe('2026-03-10');
    expect(originalDateOf('VAT: order refund (original of 2026-03-10)')).toBe('2026-03-10');
    expect(originalDateOf('order refund')).toBeUndefined();
    expect(originalDateOf('order refund (original of March)')).toBeUndefined();
    expect(originalDateOf(undefined)).toBeUndefined();
  });
});
