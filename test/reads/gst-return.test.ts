import { describe, expect, it } from 'vitest';
import { gstReturn, renderGstReturn, renderTaxReturn, taxReturn } from '../../src/reads/gst-return.js';
import type { RenderedEntry, TaxBook } from '../../src/rules/index.js';
import { DEFAULT_CHART, DEFAULT_TAXABLE } from '../rules/default-chart.js';

const chart = {
  events: DEFAULT_CHART,
  profitAndLoss: new Set(['ad_revenue', 'smm_services_expense']),
  taxable: DEFAULT_TAXABLE,
};

function bookAt(rate: string, reverseCharge: boolean): TaxBook {
  return {
    flows: {
      publisher_earnings: [{ code: 'OUTPUT', rate }],
      order_charge: [{ code: 'INPUT', rate, ...(reverseCharge ? { reverseCharge: true } : {}) }],
    },
    chart,
    revenue: new Set(['ad_revenue']),
  };
}

function entry(id: string, lines: [string, bigint][], currency: string): RenderedEntry {
  return {
    id,
    date: id.slice(-10),
    sourceId: id.split(':')[1]!,
    description: id,
    eventIds: [],
    lines: lines.map(([account, cents]) => ({ account, cents, currency })),
  };
}

function readsOf(entries: RenderedEntry[]) {
  return {
    journal: {
      async *renderedEntries() {
        yield* entries;
      },
    },
  } as unknown as Parameters<typeof gstReturn>[0];
}

const period = { period: '2026-03', from: '2026-03-01', to: '2026-03-31' };

/** As bookTax books them at 10 %: a sale of 110.00, a clawback of 22.00, a purchase of 55.00, a reverse charge of 200.00. */
const australian = (reverseCharge: boolean) => [
  entry(
    'je:ads:2026-03-02',
    [
      ['payelancer_receivable', 11_000n],
      ['ad_revenue', -10_000n],
      ['vat_output', -1_000n],
    ],
    'AUD',
  ),
  entry(
    'je:ads:2026-03-20',
    [
      ['ad_revenue', 2_000n],
      ['vat_output', 200n],
      ['payelancer_receivable', -2_200n],
    ],
    'AUD',
  ),
  reverseCharge
    ? entry(
        'je:smm-panel:2026-03-05',
        [
          ['smm_services_expense', 20_000n],
          ['vat_input', 2_000n],
          ['vat_output', -2_000n],
          ['panel_prepaid', -20_000n],
        ],
        'AUD',
      )
    : entry(
        'je:smm-panel:2026-03-05',
        [
          ['smm_services_expense', 5_000n],
          ['vat_input', 500n],
          ['panel_prepaid', -5_500n],
        ],
        'AUD',
      ),
];

describe('gstReturn: the AU BAS and NZ GST101A from the ledger’s own tax lines', () => {
  it('AU at 10 %: a sale of 110.00 less a clawback of 22.00 is G1 88.00, its GST 8.00 at 1A; a purchase of 55.00 is 5.00 at 1B', async () => {
    const bas = await gstReturn(readsOf(australian(false)), bookAt('10', false), {
      ...period,
      currency: 'AUD',
      region: 'AU',
    });
    // G1: (100.00 − 20.00) net + (10.00 − 2.00) GST = 88.00; 1A: 10.00 − 2.00 = 8.00; 1B: 5.00; 1A − 1B: 3.00.
    expect(bas.form).toBe('BAS');
    expect(bas.boxes.map(({ box, amount }) => [box, amount])).toEqual([
      ['G1', '88.00'],
      ['1A', '8.00'],
      ['1B', '5.00'],
      ['1A-1B', '3.00'],
    ]);
  });

  it('AU: a reverse-charged import of 200.00 puts 20.00 at 1A and at 1B and nothing in G1', async () => {
    const bas = await gstReturn(readsOf(australian(true)), bookAt('10', true), {
      ...period,
      currency: 'AUD',
      region: 'AU',
    });
    // G1: 80.00 + 8.00 = 88.00 (the import is no sale); 1A: 8.00 + 20.00 = 28.00; 1B: 20.00; 1A − 1B: 8.00.
    expect(bas.boxes.map(({ box, amount }) => [box, amount])).toEqual([
      ['G1', '88.00'],
      ['1A', '28.00'],
      ['1B', '20.00'],
      ['1A-1B', '8.00'],
    ]);
  });

  it('NZ at 15 %: a sale of 115.00 less a clawback of 23.00 and a purchase of 46.00 leave 6.00 to pay', async () => {
    const entries = [
      entry(
        'je:ads:2026-03-02',
        [
          ['payelancer_receivable', 11_500n],
          ['ad_revenue', -10_000n],
          ['vat_output', -1_500n],
        ],
        'NZD',
      ),
      entry(
        'je:ads:2026-03-20',
        [
          ['ad_revenue', 2_000n],
          ['vat_output', 300n],
          ['payelancer_receivable', -2_300n],
        ],
        'NZD',
      ),
      entry(
        'je:smm-panel:2026-03-05',
        [
          ['smm_services_expense', 4_000n],
          ['vat_input', 600n],
          ['panel_prepaid', -4_600n],
        ],
        'NZD',
      ),
      entry(
        'je:smm-panel:2026-03-06',
        [
          ['smm_services_expense', 900n],
          ['panel_prepaid', -900n],
        ],
        'USD',
      ),
    ];
    const gst = await gstReturn(readsOf(entries), bookAt('15', false), { ...period, currency: 'NZD', region: 'NZ' });
    // Box 5: (100.00 − 20.00) + (15.00 − 3.00) = 92.00; box 6: 0.00; box 8: 92.00 × 3/23 = 12.00;
    // box 11: 40.00 + 6.00 = 46.00; box 12: 46.00 × 3/23 = 6.00; box 15: 12.00 − 6.00 = 6.00.
    expect(gst.form).toBe('GST101A');
    expect(gst.boxes.map(({ box, amount }) => [box, amount])).toEqual([
      ['5', '92.00'],
      ['6', '0.00'],
      ['8', '12.00'],
      ['11', '46.00'],
      ['12', '6.00'],
      ['15', '6.00'],
    ]);
    expect(gst.otherCurrencies).toEqual(['USD']);
    expect(renderGstReturn(gst)).toContain('GST return 2026-03 (2026-03-01 to 2026-03-31), NZ GST101A, NZD');
  });

  it('NZ: a reverse-charged service of 200.00 is 230.00 in box 5 and in box 11, so nothing to pay', async () => {
    const entries = [
      entry(
        'je:smm-panel:2026-03-05',
        [
          ['smm_services_expense', 20_000n],
          ['vat_input', 3_000n],
          ['vat_output', -3_000n],
          ['panel_prepaid', -20_000n],
        ],
        'NZD',
      ),
    ];
    const gst = await gstReturn(readsOf(entries), bookAt('15', true), { ...period, currency: 'NZD', region: 'NZ' });
    // Box 5: 200.00 + 30.00 = 230.00; box 8: 230.00 × 3/23 = 30.00; box 11: 230.00; box 12: 30.00; box 15: 0.00.
    expect(gst.boxes.map(({ box, amount }) => [box, amount])).toEqual([
      ['5', '230.00'],
      ['6', '0.00'],
      ['8', '30.00'],
      ['11', '230.00'],
      ['12', '30.00'],
      ['15', '0.00'],
    ]);
  });

  it('NZ: a zero-rated sale is in box 5 and box 6, not in the GST of box 8', async () => {
    const entries = [
      entry(
        'je:ads:2026-03-02',
        [
          ['payelancer_receivable', 5_000n],
          ['ad_revenue', -5_000n],
        ],
        'NZD',
      ),
    ];
    const gst = await gstReturn(readsOf(entries), bookAt('0', false), { ...period, currency: 'NZD', region: 'NZ' });
    // Box 5: 50.00; box 6: 50.00; box 8: (50.00 − 50.00) × 3/23 = 0.00.
    expect(gst.boxes.slice(0, 3).map(({ box, amount }) => [box, amount])).toEqual([
      ['5', '50.00'],
      ['6', '50.00'],
      ['8', '0.00'],
    ]);
  });

  it('the region decides the return: AU the BAS, NZ the GST101A, UK, US or none the UK nine boxes as before', async () => {
    const reads = readsOf(australian(false));
    const options = { ...period, currency: 'AUD' };
    const bas = await taxReturn(reads, bookAt('10', false), { ...options, region: 'AU' });
    expect(renderTaxReturn(bas).split('\n')[0]).toBe(
      "GST return 2026-03 (2026-03-01 to 2026-03-31), AU BAS, AUD, from the ledger's tax lines",
    );
    for (const region of ['UK', 'US', undefined]) {
      const vat = await taxReturn(reads, bookAt('10', false), { ...options, region });
      expect(Object.keys(vat)).not.toContain('region');
      expect(renderTaxReturn(vat)).toMatch(/^VAT return 2026-03 .*\n {2}Box 1 {2}VAT due on sales/);
    }
  });
});
