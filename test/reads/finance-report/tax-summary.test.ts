import { describe, expect, it } from 'vitest';
import { taxSection, taxSummaries } from '../../../src/reads/finance-report/tax-summary.js';
import type { RenderedEntry, TaxChart } from '../../../src/rules/index.js';
import { DEFAULT_CHART, DEFAULT_TAXABLE } from '../../rules/default-chart.js';

const chart: TaxChart = {
  events: DEFAULT_CHART,
  profitAndLoss: new Set(['ad_revenue', 'advertising_expense', 'smm_services_expense']),
  taxable: DEFAULT_TAXABLE,
};

function entry(id: string, date: string, lines: [string, bigint][]): RenderedEntry {
  return {
    id,
    date,
    sourceId: id.split(':')[1]!,
    description: id,
    eventIds: [],
    lines: lines.map(([account, cents]) => ({ account, currency: 'GBP', cents })),
  };
}

const ENTRIES = [
  entry('je:smm-panel:2026-03-14', '2026-03-14', [
    ['smm_services_expense', 10_000n],
    ['panel_prepaid', -10_000n],
  ]),
  entry('je:smm-panel:2026-03-16', '2026-03-16', [
    ['smm_services_expense', 15_056n],
    ['panel_prepaid', -15_056n],
    ['smm_services_expense', -199n],
    ['panel_prepaid', 199n],
  ]),
  entry('je:ads-publisher:2026-04-01', '2026-04-01', [
    ['payelancer_receivable', 3_000n],
    ['ad_revenue', -3_000n],
  ]),
];

async function* entries(): AsyncGenerator<RenderedEntry> {
  yield* ENTRIES;
}

describe("the report's tax summary", () => {
  it('sums the coded lines per month and code with the tax inside them at the dated rule in force, and codes nothing else', async () => {
    const [xero] = await taxSummaries(entries, [
      {
        destination: 'xero',
        service: 'Xero',
        chart,
        flows: {
          order_charge: [
            { code: 'REVERSECHARGES', rate: '0' },
            { code: 'INPUT2', rate: '20', from: '2026-03-15' },
          ],
          order_refund: [
            { code: 'REVERSECHARGES', rate: '0' },
            { code: 'INPUT2', rate: '20', from: '2026-03-15' },
          ],
          publisher_earnings: [{ code: 'ZERORATEDOUTPUT', name: 'Zero Rated Income' }],
        },
      },
    ]);
    // By hand: 150.56 × 20/120 = 25.0933 → 25.09; −1.99 × 20/120 = −0.3317 → −0.33; together 25.09 − 0.33 = 24.76
    // of 148.57, net 123.81. The 14th is before the INPUT2 rule: reverse-charged, no tax. April's income has no rate.
    expect(xero?.rows).toEqual([
      { period: '2026-03', code: 'INPUT2', name: null, lines: 2, gross: '148.57', tax: '24.76', net: '123.81' },
      { period: '2026-03', code: 'REVERSECHARGES', name: null, lines: 1, gross: '100.00', tax: '0.00', net: '100.00' },
      {
        period: '2026-04',
        code: 'ZERORATEDOUTPUT',
        name: 'Zero Rated Income',
        lines: 1,
        gross: '-30.00',
        tax: null,
        net: null,
      },
    ]);
    const html = taxSection([xero!]);
    expect(html).toContain('<section id="tax"><h2>Tax per code</h2>');
    expect(html).toContain(
      '<tr><td>2026-03</td><td>INPUT2</td><td></td><td>2</td><td class="num">148.57</td><td class="num">24.76</td><td class="num">123.81</td></tr>',
    );
  });

  it('reads nothing and shows nothing for a team with no tax mapping', async () => {
    let read = false;
    const summaries = await taxSummaries(async function* () {
      read = true;
      yield* ENTRIES;
    }, []);
    expect(summaries).toEqual([]);
    expect(read).toBe(false);
    expect(taxSection(summaries)).toBe('');
  });
});
