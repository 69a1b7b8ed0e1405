import { describe, expect, it } from 'vitest';
import { lineTaxCodes, ruleInForce, taxFlowProblems, type TaxFlows } from '../../../src/rules/index.js';
import { DEFAULT_CHART, DEFAULT_TAX_CHART } from '../default-chart.js';

const flows: TaxFlows = {
  publisher_earnings: [{ code: 'ZERORATEDOUTPUT' }, { code: 'OUTPUT2', source: 'ads-uk' }],
  order_charge: [{ code: 'REVERSECHARGES' }, { code: 'INPUT2', from: '2026-03-15' }],
  order_refund: [{ code: 'REVERSECHARGES' }, { code: 'INPUT2', from: '2026-03-15' }],
};

describe('ruleInForce', () => {
  it('a dated rule takes over on its date; the days before keep the old code', () => {
    const rules = flows.order_charge ?? [];
    expect(ruleInForce(rules, 'smm-panel', '2026-03-14')?.code).toBe('REVERSECHARGES');
    expect(ruleInForce(rules, 'smm-panel', '2026-03-15')?.code).toBe('INPUT2');
    expect(ruleInForce(rules, 'smm-panel', '2027-01-01')?.code).toBe('INPUT2');
  });

  it("a source's own rule wins over the general one; an adjusting entry takes only rules naming it", () => {
    const rules = flows.publisher_earnings ?? [];
    expect(ruleInForce(rules, 'ads-uk', '2026-03-01')?.code).toBe('OUTPUT2');
    expect(ruleInForce(rules, 'ads-eu', '2026-03-01')?.code).toBe('ZERORATEDOUTPUT');
    expect(ruleInForce(rules, 'adjustments', '2026-03-01')).toBeUndefined();
  });

  it('before the first dated rule there is no code', () => {
    expect(ruleInForce([{ code: 'INPUT2', from: '2026-03-15' }], 'smm-panel', '2026-03-14')).toBeUndefined();
  });
});

describe('lineTaxCodes', () => {
  it('codes the line a flow books to revenue or expense, by account and direction, and no other', () => {
    const entry = {
      sourceId: 'smm-panel',
      date: '2026-03-14',
      lines: [
        { account: 'smm_services_expense', cents: 10_000n },
        { account: 'smm_services_expense', cents: -1_500n },
        { account: 'panel_prepaid', cents: -10_000n },
        { account: 'panel_prepaid', cents: 1_500n },
      ],
    };
    expect(lineTaxCodes(entry, DEFAULT_TAX_CHART, flows)).toEqual([
      { code: 'REVERSECHARGES', kind: 'order_charge' },
      { code: 'REVERSECHARGES', kind: 'order_refund' },
      undefined,
      undefined,
    ]);
    expect(
      lineTaxCodes({ ...entry, date: '2026-03-15' }, DEFAULT_TAX_CHART, flows).map((found) => found?.code),
    ).toEqual(['INPUT2', 'INPUT2', undefined, undefined]);
  });

  it("a clawback without a rule of its own takes the earnings' code; an unmapped flow's line has none", () => {
    const entry = {
      sourceId: 'ads-eu',
      date: '2026-03-01',
      lines: [
        { account: 'ad_revenue', cents: -500n },
        { account: 'ad_revenue', cents: 200n },
        { account: 'payelancer_receivable', cents: 300n },
      ],
    };
    expect(lineTaxCodes(entry, DEFAULT_TAX_CHART, flows)).toEqual([
      { code: 'ZERORATEDOUTPUT', kind: 'publisher_earnings' },
      { code: 'ZERORATEDOUTPUT', kind: 'publisher_clawback', reverses: 'publisher_earnings' },
      undefined,
    ]);
    expect(
      lineTaxCodes({ ...entry, lines: [{ account: 'advertising_expense', cents: -200n }] }, DEFAULT_TAX_CHART, flows),
    ).toEqual([undefined]);
  });

  it('no tax section codes nothing', () => {
    expect(
      lineTaxCodes(
        { sourceId: 'smm-panel', date: '2026-03-01', lines: [{ account: 'smm_services_expense', cents: 1n }] },
        DEFAULT_TAX_CHART,
        {},
      ),
    ).toEqual([undefined]);
  });
});

describe('taxFlowProblems', () => {
  it('refuses a flow that books to no revenue or expense account, and two flows on the same line', () => {
    const sharing = {
      ...DEFAULT_TAX_CHART,
      events: { ...DEFAULT_CHART, panel_fall_explained: { debit: 'smm_services_expense', credit: 'suspense' } },
    };
    expect(
      taxFlowProblems(sharing, {
        payout_wire: [{ code: 'NONE' }],
        order_charge: [{ code: 'INPUT2' }],
        panel_fall_explained: [{ code: 'INPUT2' }],
      }),
    ).toEqual([
      {
        path: 'tax.payout_wire',
        message:
          'payout_wire books to no revenue or expense account (payout_clearing_wire, payelancer_receivable), so no line of it takes a tax code: remove it from tax:',
      },
      {
        path: 'tax.panel_fall_explained',
        message:
          "panel_fall_explained and order_charge both debit smm_services_expense, so a daily entry's line cannot tell them apart: map the tax code on one of them",
      },
    ]);
    expect(taxFlowProblems(DEFAULT_TAX_CHART, flows)).toEqual([]);
  });
});
