import { describe, expect, it } from 'vitest';
import { ownRuleDeparture, type TaxFlows } from '../../../src/rules/index.js';

/**
 * Issue 83, "What was seen" 5: a dated rule on order_charge (INPUT2 from 2026-05-03) while order_refund kept a rule of
 * its own (REVERSECHARGES, as init wrote it): from 05-03 a refund of an order charged at INPUT2 is booked as a reverse
 * charge: a refund of 12.00 moves boxes 1 and 4 back by 2.00 each, so the 2.00 of input VAT its charge reclaimed is
 * never given back.
 */
const reverseCharge = { code: 'REVERSECHARGES', rate: '20', reverseCharge: true };
const input = { code: 'INPUT2', rate: '20', from: '2026-05-03' };

describe("a reversal's own rule against its original's", () => {
  it('parts on the day the original takes a rule the reversal lacks, naming both rules', () => {
    const flows: TaxFlows = { order_charge: [reverseCharge, input], order_refund: [reverseCharge] };
    expect(ownRuleDeparture(flows, 'order_refund', 'order_charge')).toEqual({
      from: '2026-05-03',
      sourceId: undefined,
      own: reverseCharge,
      original: input,
    });
  });

  it('agrees when the reversal follows each change, and when it has no rule of its own', () => {
    const followed = { ...input, code: 'INPUT2' };
    expect(
      ownRuleDeparture(
        { order_charge: [reverseCharge, input], order_refund: [reverseCharge, followed] },
        'order_refund',
        'order_charge',
      ),
    ).toBeUndefined();
    expect(ownRuleDeparture({ order_charge: [reverseCharge, input] }, 'order_refund', 'order_charge')).toBeUndefined();
  });

  it("parts from the first day when the codes differ throughout, and per source when only a source's rules do", () => {
    expect(
      ownRuleDeparture(
        { order_charge: [{ code: 'INPUT2', rate: '20' }], order_refund: [{ code: 'INPUT2', rate: '5' }] },
        'order_refund',
        'order_charge',
      ),
    ).toMatchObject({ from: undefined, own: { rate: '5' }, original: { rate: '20' } });
    const panelOnly = { code: 'EXEMPTINPUT', source: 'smm-panel', from: '2026-06-01' };
    expect(
      ownRuleDeparture(
        { order_charge: [reverseCharge, panelOnly], order_refund: [reverseCharge] },
        'order_refund',
        'order_charge',
      ),
    ).toEqual({ from: '2026-06-01', sourceId: 'smm-panel', own: reverseCharge, original: panelOnly });
  });
});
