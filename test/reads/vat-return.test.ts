import { describe, expect, it } from 'vitest';
import { vatPeriod, vatReturn } from '../../src/reads/vat-return.js';
import type { RenderedEntry, TaxBook } from '../../src/rules/index.js';
import { DEFAULT_CHART, DEFAULT_TAXABLE } from '../rules/default-chart.js';

const book: TaxBook = {
  flows: {
    publisher_earnings: [{ code: 'OUTPUT2', rate: '20' }],
    order_charge: [{ code: 'REVERSECHARGES', rate: '20', reverseCharge: true }],
  },
  chart: {
    events: DEFAULT_CHART,
    profitAndLoss: new Set(['ad_revenue', 'smm_services_expense']),
    taxable: DEFAULT_TAXABLE,
  },
  revenue: new Set(['ad_revenue']),
};

function entry(id: string, date: string, lines: [string, bigint][], currency = 'GBP'): RenderedEntry {
  return {
    id,
    date,
    sourceId: id.split(':')[1]!,
    description: id,
    eventIds: [],
    lines: lines.map(([account, cents]) => ({ account, cents, currency })),
  };
}

/** The ledger's entries as booked with the tax (bookTax): a reverse charge and an OUTPUT2 sale. */
const entries = [
  entry('je:smm-panel:2026-03-10', '2026-03-10', [
    ['smm_services_expense', 10_000n],
    ['vat_input', 2_000n],
    ['vat_output', -2_000n],
    ['panel_prepaid', -10_000n],
  ]),
  entry('je:ads:2026-03-11', '2026-03-11', [
    ['payelancer_receivable', 7_679n],
    ['ad_revenue', -6_399n],
    ['vat_output', -1_280n],
  ]),
  entry(
    'je:smm-panel:2026-03-12',
    '2026-03-12',
    [
      ['smm_services_expense', 500n],
      ['panel_prepaid', -500n],
    ],
    'USD',
  ),
];

const readsOf = (held: readonly RenderedEntry[]) =>
  ({
    journal: {
      async *renderedEntries() {
        yield* held;
      },
    },
  }) as unknown as Parameters<typeof vatReturn>[0];
const reads = readsOf(entries);

describe('vatReturn: the UK boxes from the ledger’s own tax lines', () => {
  it('a reverse charge moves boxes 1, 4, 6 and 7 and nets to nothing; a 76.79 sale at 20 % adds 12.80 and 63.99', async () => {
    const vat = await vatReturn(reads, book, {
      period: '2026-03',
      from: '2026-03-01',
      to: '2026-03-31',
      currency: 'GBP',
    });
    // Box 1: 20.00 + 12.80; box 4: 20.00; box 5: 12.80; box 6: 100.00 (the reverse charge's value) + 63.99; box 7: 100.00.
    expect(vat.boxes).toEqual({
      '1': '32.80',
      '2': '0.00',
      '3': '32.80',
      '4': '20.00',
      '5': '12.80',
      '6': '163.99',
      '7': '100.00',
      '8': '0.00',
      '9': '0.00',
    });
    expect(vat.otherCurrencies).toEqual(['USD']);
  });

  it('an entry in another currency counts converted as its journal goes out, its tax worked on the converted line', async () => {
    // 30.00 USD of earnings booked 25.00 net + 5.00 VAT; at 0.79 the 30.00 line is 23.70 GBP, whose tax at 20 % is
    // 3.95 (23.70 × 20 / 120) and net 19.75. The 5.00 USD reverse charge is 3.95 GBP, both legs 0.79.
    const earnings = entry(
      'je:ads:2026-03-13',
      '2026-03-13',
      [
        ['payelancer_receivable', 3_000n],
        ['ad_revenue', -2_500n],
        ['vat_output', -500n],
      ],
      'USD',
    );
    const vat = await vatReturn(readsOf([...entries, earnings]), book, {
      period: '2026-03',
      from: '2026-03-01',
      to: '2026-03-31',
      currency: 'GBP',
      rates: (currency) => (currency === 'USD' ? { rate: '0.79', source: 'fixed' } : undefined),
    });
    // Box 1: 32.80 + 0.79 + 3.95; box 4: 20.00 + 0.79; box 6: 163.99 + 3.95 + 19.75; box 7: 100.00 + 3.95.
    expect(vat.boxes).toMatchObject({ '1': '37.54', '4': '20.79', '5': '16.75', '6': '187.69', '7': '103.95' });
    expect(vat.otherCurrencies).toEqual([]);
  });

  it('a period is a quarter or a month', () => {
    expect(vatPeriod('2026-Q1')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(vatPeriod('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(vatPeriod('2026-Q4')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(vatPeriod('2026-13')).toBeUndefined();
  });
});
