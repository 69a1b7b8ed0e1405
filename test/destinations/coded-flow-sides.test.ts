import { describe, expect, it } from 'vitest';
import { codedFlowSides } from '../../src/destinations/tax-reversal-checks.js';
import { DEFAULT_CHART, DEFAULT_TAXABLE } from '../rules/default-chart.js';

const chart = {
  events: DEFAULT_CHART,
  profitAndLoss: new Set(['ad_revenue', 'smm_services_expense', 'bank_fees']),
  taxable: DEFAULT_TAXABLE,
};

describe("codedFlowSides: what the destinations' tax checks weigh, one check each", () => {
  it('bank_fees, coded both ways (a charge and its refund), is one account to check: doctor printed its check twice', () => {
    const sides = codedFlowSides({ chart, flows: { bank_fees: [{ code: 'EXEMPTINPUT', rate: '0' }] } });
    expect(sides.map(({ kind, account, rule }) => [kind, account, rule.code])).toEqual([
      ['bank_fees', 'bank_fees', 'EXEMPTINPUT'],
    ]);
  });

  it('a flow keeps one check per account it codes: order_charge on smm_services_expense', () => {
    const sides = codedFlowSides({ chart, flows: { order_charge: [{ code: 'INPUT2', rate: '20' }] } });
    expect(sides.map(({ account, path }) => [account, path])).toEqual([['smm_services_expense', 'tax.order_charge']]);
  });
});
