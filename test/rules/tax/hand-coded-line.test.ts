import { describe, expect, it } from 'vitest';
import { bookTax, codedByHand, lineTaxCodes, type JournalLine } from '../../../src/rules/index.js';
import { DEFAULT_TAX_CHART } from '../default-chart.js';

/** The chart's tax (issue 70): the panel's orders at INPUT2 20 %, until 04-01 when they become reverse-charged. */
const FLOWS = {
  order_charge: [
    { code: 'INPUT2', rate: '20' },
    { code: 'REVERSECHARGES', rate: '20', reverseCharge: true, from: '2026-04-01' },
  ],
  publisher_earnings: [{ code: 'OUTPUT2', rate: '20' }],
};
const TAX = { chart: DEFAULT_TAX_CHART, flows: FLOWS };
const INVOICE: JournalLine[] = [
  { account: 'smm_services_expense', currency: 'GBP', amountMicros: 12_000_000n },
  { account: 'suspense', currency: 'GBP', amountMicros: -12_000_000n },
];

describe('codedByHand: adjust --tax CODE codes an adjusting entry’s revenue and expense lines (issue 82)', () => {
  it('names the flow whose rule in force gives the code on the expense line, and books it net and VAT apart', () => {
    const coded = codedByHand(INVOICE, TAX, 'INPUT2', '2026-03-20');
    expect(coded).toEqual({
      lines: [{ ...INVOICE[0], description: 'taxed as order_charge (adjust --tax INPUT2)' }, INVOICE[1]],
    });
    const lines = 'lines' in coded ? coded.lines : [];
    const entry = {
      id: 'je:adjustment:2026-03-20:1',
      date: '2026-03-20',
      sourceId: 'adjustments',
      description: '',
      eventIds: [],
      lines,
    };
    // 12.00 × 20 / 120 = 2.00 of VAT, 10.00 net.
    const booked = bookTax(entry, { ...TAX, revenue: new Set(['ad_revenue']) });
    expect(booked.lines.map((line) => [line.account, line.amountMicros])).toEqual([
      ['smm_services_expense', 10_000_000n],
      ['vat_input', 2_000_000n],
      ['suspense', -12_000_000n],
    ]);
    const signed = booked.lines.map((line) => ({
      account: line.account,
      cents: line.amountMicros,
      description: line.description,
    }));
    expect(
      lineTaxCodes({ sourceId: 'adjustments', date: '2026-03-20', lines: signed }, DEFAULT_TAX_CHART, FLOWS).map(
        (code) => code?.code,
      ),
    ).toEqual(['INPUT2', undefined, undefined]);
  });

  it('refuses a code no rule in force gives, with the codes there are; and an entry with no line to code', () => {
    // On 04-01 order_charge's rule in force is REVERSECHARGES: INPUT2 is no longer a code of the chart that day.
    expect(codedByHand(INVOICE, TAX, 'INPUT2', '2026-04-01')).toEqual({
      unknownCode: 'INPUT2',
      codes: ['OUTPUT2', 'REVERSECHARGES'],
    });
    const transfer = INVOICE.map((line, index) => ({ ...line, account: index === 0 ? 'topup_clearing' : 'suspense' }));
    expect(codedByHand(transfer, TAX, 'INPUT2', '2026-03-20')).toEqual({ noLineToCode: true });
  });
});
