import { describe, expect, it } from 'vitest';
import {
  lineTaxCodes,
  reversalCoverage,
  taxFlowProblems,
  type TaxChart,
  type TaxFlows,
} from '../../../src/rules/index.js';
import { withOriginalDate } from '../../../src/rules/tax/original-date.js';
import { DEFAULT_CHART, DEFAULT_TAX_CHART } from '../default-chart.js';

/** The month of the report: earnings zero-rated until 2026-03-15, standard-rated from then (a change of treatment). */
const flows: TaxFlows = {
  publisher_earnings: [
    { code: 'ZERORATEDOUTPUT', rate: '0' },
    { code: 'OUTPUT2', rate: '20', from: '2026-03-15' },
  ],
  order_charge: [{ code: 'REVERSECHARGES', rate: '0' }],
};

const clawback = (date: string, originalDate?: string) => ({
  sourceId: 'ads-eu',
  date,
  lines: [
    {
      account: 'ad_revenue',
      cents: 1_035n,
      description: originalDate === undefined ? 'clawback' : withOriginalDate('clawback', originalDate),
    },
    { account: 'payelancer_receivable', cents: -1_035n },
  ],
});

describe('a reversal keeps its original code', () => {
  it("a clawback of 10.35 goes out at publisher_earnings' code, not uncoded (box 6 back by 10.35)", () => {
    expect(lineTaxCodes(clawback('2026-03-10'), DEFAULT_TAX_CHART, flows)).toEqual([
      { code: 'ZERORATEDOUTPUT', kind: 'publisher_clawback', reverses: 'publisher_earnings', rate: '0' },
      undefined,
    ]);
  });

  it("takes the code in force on the original's date, not the clawback's", () => {
    const codes = (entry: ReturnType<typeof clawback>) => lineTaxCodes(entry, DEFAULT_TAX_CHART, flows)[0]?.code;
    expect(codes(clawback('2026-03-20'))).toBe('OUTPUT2');
    // The line says its original's date ("clawback (original of 2026-03-14)"), as journalize writes it.
    expect(codes(clawback('2026-03-20', '2026-03-14'))).toBe('ZERORATEDOUTPUT');
  });

  it('a refund of a reverse-charged purchase is reversed as a reverse charge; its own rule wins when given', () => {
    const refund = {
      sourceId: 'smm-panel',
      date: '2026-03-20',
      lines: [
        { account: 'smm_services_expense', cents: -1_500n },
        { account: 'panel_prepaid', cents: 1_500n },
      ],
    };
    expect(lineTaxCodes(refund, DEFAULT_TAX_CHART, flows)[0]).toEqual({
      code: 'REVERSECHARGES',
      kind: 'order_refund',
      reverses: 'order_charge',
      rate: '0',
    });
    expect(lineTaxCodes(refund, DEFAULT_TAX_CHART, { ...flows, order_refund: [{ code: 'INPUT2' }] })[0]).toEqual({
      code: 'INPUT2',
      kind: 'order_refund',
    });
  });

  it('an adjusting entry takes a reversal code only from rules naming adjustments, as any flow', () => {
    expect(
      lineTaxCodes({ ...clawback('2026-03-10'), sourceId: 'adjustments' }, DEFAULT_TAX_CHART, flows)[0],
    ).toBeUndefined();
  });
});

describe('reversalCoverage', () => {
  it('each coded flow names its reversal: inherited on the shipped chart, own when given', () => {
    expect(reversalCoverage(DEFAULT_TAX_CHART, { ...flows, order_refund: [{ code: 'INPUT2' }] })).toEqual([
      {
        reversal: 'publisher_clawback',
        original: 'publisher_earnings',
        coverage: 'inherited',
        accounts: ['ad_revenue'],
      },
      { reversal: 'order_refund', original: 'order_charge', coverage: 'own', accounts: ['smm_services_expense'] },
    ]);
  });

  it('a reversal the chart books elsewhere than back to the original line is uncovered, and goes out uncoded', () => {
    const elsewhere: TaxChart = {
      events: { ...DEFAULT_CHART, publisher_clawback: { debit: 'clawback_losses', credit: 'payelancer_receivable' } },
      profitAndLoss: new Set([...DEFAULT_TAX_CHART.profitAndLoss, 'clawback_losses']),
      taxable: DEFAULT_TAX_CHART.taxable,
    };
    expect(reversalCoverage(elsewhere, flows)[0]).toEqual({
      reversal: 'publisher_clawback',
      original: 'publisher_earnings',
      coverage: 'uncovered',
      accounts: ['clawback_losses'],
    });
    const lines = [{ account: 'clawback_losses', cents: 1_035n }];
    expect(lineTaxCodes({ ...clawback('2026-03-10'), lines }, elsewhere, flows)).toEqual([undefined]);
  });
});

describe('tax.bank_fees', () => {
  it('codes every line on bank_fees, a fee and a fee back, adjusting entries (transit accept) included', () => {
    const accepted = {
      sourceId: 'adjustments',
      date: '2026-04-02',
      lines: [
        { account: 'bank_fees', cents: 250n },
        { account: 'payout_clearing_paypal', cents: -250n },
        { account: 'bank_fees', cents: -100n },
      ],
    };
    expect(lineTaxCodes(accepted, DEFAULT_TAX_CHART, { bank_fees: [{ code: 'EXEMPTINPUT' }] })).toEqual([
      { code: 'EXEMPTINPUT', kind: 'bank_fees' },
      undefined,
      { code: 'EXEMPTINPUT', kind: 'bank_fees' },
    ]);
  });

  it('is refused when bank_fees is no revenue or expense account of the chart', () => {
    const noFees: TaxChart = { ...DEFAULT_TAX_CHART, profitAndLoss: new Set(['ad_revenue']) };
    expect(taxFlowProblems(noFees, { bank_fees: [{ code: 'EXEMPTINPUT' }] })).toEqual([
      {
        path: 'tax.bank_fees',
        message: 'bank_fees is not a revenue or expense account of the chart: remove it from tax:',
      },
    ]);
  });
});
