import { describe, expect, it } from 'vitest';
import { gstReturn, renderGstReturn } from '../../src/reads/gst-return.js';
import { mtdReturnBody, renderVatReturn, vatReturn, whoPaysWhom } from '../../src/reads/vat-return.js';
import type { RenderedEntry, TaxBook } from '../../src/rules/index.js';
import { DEFAULT_CHART, DEFAULT_TAXABLE } from '../rules/default-chart.js';

const bookAt = (rate: string): TaxBook => ({
  flows: { publisher_earnings: [{ code: 'OUTPUT', rate }], order_charge: [{ code: 'INPUT', rate }] },
  chart: {
    events: DEFAULT_CHART,
    profitAndLoss: new Set(['ad_revenue', 'smm_services_expense']),
    taxable: DEFAULT_TAXABLE,
  },
  revenue: new Set(['ad_revenue']),
});

/** A sale (net, tax) and a purchase (net, tax) as bookTax books them, in `currency`. */
function saleAndPurchase(currency: string, sale: [bigint, bigint], purchase: [bigint, bigint]): RenderedEntry[] {
  const entry = (id: string, lines: [string, bigint][]): RenderedEntry => ({
    id,
    date: id.slice(-10),
    sourceId: id.split(':')[1]!,
    description: id,
    eventIds: [],
    lines: lines.map(([account, cents]) => ({ account, cents, currency })),
  });
  return [
    entry('je:ads:2026-03-02', [
      ['payelancer_receivable', sale[0] + sale[1]],
      ['ad_revenue', -sale[0]],
      ['vat_output', -sale[1]],
    ]),
    entry('je:smm-panel:2026-03-05', [
      ['smm_services_expense', purchase[0]],
      ['vat_input', purchase[1]],
      ['panel_prepaid', -(purchase[0] + purchase[1])],
    ]),
  ];
}

const readsOf = (entries: RenderedEntry[]) =>
  ({
    journal: {
      async *renderedEntries() {
        yield* entries;
      },
    },
  }) as unknown as Parameters<typeof vatReturn>[0];

const period = { period: '2026-Q1', from: '2026-01-01', to: '2026-03-31' };

describe('the return as the tax office takes it (issue 83)', () => {
  it('UK, a quarter HMRC repays: netVatDue the positive difference, boxes 6 and 7 with the pence left out', async () => {
    // Sales 10.83 net + 2.16 VAT, purchases 35.99 net + 7.20 VAT: box 5 = 2.16 − 7.20 = −5.04, so HMRC repays 5.04;
    // box 6 10.83 → 10, box 7 35.99 → 35 (the pence left out, not rounded to 36).
    const vat = await vatReturn(readsOf(saleAndPurchase('GBP', [1_083n, 216n], [3_599n, 720n])), bookAt('20'), {
      ...period,
      currency: 'GBP',
    });
    expect(vat.boxes['5']).toBe('-5.04');
    const body = JSON.parse(mtdReturnBody(vat, '26A1')) as Record<string, unknown>;
    expect(body).toEqual({
      periodKey: '26A1',
      vatDueSales: 2.16,
      vatDueAcquisitions: 0,
      totalVatDue: 2.16,
      vatReclaimedCurrPeriod: 7.2,
      netVatDue: 5.04,
      totalValueSalesExVAT: 10,
      totalValuePurchasesExVAT: 35,
      totalValueGoodsSuppliedExVAT: 0,
      totalAcquisitionsExVAT: 0,
      finalised: true,
    });
    expect(whoPaysWhom(vat)).toBe('HMRC repays you 5.04');
    const printed = renderVatReturn(vat);
    expect(printed).toMatch(/\n {2}Box 5 {2}net VAT to reclaim: HMRC repays you \(4 − 3\) +5\.04\n/);
    expect(printed).toMatch(
      /\n {2}Box 7 {2}total purchases and other inputs, excluding VAT +35 {2}\(35\.99 in the books\)\n/,
    );
  });

  it('AU, the BAS in whole dollars: G1 110.90 → 110, 1A 10.08 → 10, 1B 5.25 → 5, so 10 − 5 = 5 to pay the ATO', async () => {
    const bas = await gstReturn(readsOf(saleAndPurchase('AUD', [10_082n, 1_008n], [5_250n, 525n])), bookAt('10'), {
      ...period,
      currency: 'AUD',
      region: 'AU',
    });
    // The books' boxes keep their cents (--json, a filing's record): 1A − 1B 10.08 − 5.25 = 4.83.
    expect(bas.boxes.map(({ box, amount }) => [box, amount])).toEqual([
      ['G1', '110.90'],
      ['1A', '10.08'],
      ['1B', '5.25'],
      ['1A-1B', '4.83'],
    ]);
    expect(renderGstReturn(bas).split('\n').slice(1, 5)).toEqual([
      `  Box G1     ${'total sales (GST included)'.padEnd(50)}          110  (110.90 in the books)`,
      `  Box 1A     ${'GST on sales'.padEnd(50)}           10  (10.08 in the books)`,
      `  Box 1B     ${'GST on purchases'.padEnd(50)}            5  (5.25 in the books)`,
      `  Box 1A-1B  ${'GST: you pay the ATO (1A − 1B)'.padEnd(50)}            5`,
    ]);
  });

  it('NZ, the GST101A in dollars and cents: a refund is a positive box 15 saying Inland Revenue refunds you', async () => {
    // Box 5 23.00 → 8 = 3.00; box 11 115.00 → 12 = 15.00; box 15 = 3.00 − 15.00 = −12.00: a refund of 12.00.
    const gst = await gstReturn(readsOf(saleAndPurchase('NZD', [2_000n, 300n], [10_000n, 1_500n])), bookAt('15'), {
      ...period,
      currency: 'NZD',
      region: 'NZ',
    });
    expect(gst.boxes.at(-1)).toMatchObject({ box: '15', amount: '-12.00' });
    const printed = renderGstReturn(gst);
    expect(printed).toMatch(/\n {2}Box 5 {6}total sales and income including GST +23\.00\n/);
    expect(printed).toMatch(/\n {2}Box 15 {5}GST: Inland Revenue refunds you \(8 − 12\) +12\.00\n/);
  });
});
