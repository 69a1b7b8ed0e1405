import { describe, expect, it } from 'vitest';
import { destinationTaxFlows } from '../../src/config/index.js';
import { lineTaxCodes, type BookedLineTax, type TaxFlows } from '../../src/rules/index.js';
import { DEFAULT_TAX_CHART } from '../rules/default-chart.js';

/** quickbooks.yaml's own legacy `tax:`: order charges reverse-charged until March, then coded INPUT2 from April. */
const OWN: TaxFlows = {
  order_charge: [
    { code: 'REVERSECHARGES', rate: '20', reverseCharge: true },
    { code: 'INPUT2', from: '2026-04-01' },
  ],
};

const booked = (code: string, reverseCharge: boolean): BookedLineTax => ({
  flow: 'order_charge',
  code,
  rate: '20',
  side: 'purchases',
  reverseCharge,
  baseMicros: 900_000n,
});

describe("a destination's own legacy tax: section and a booked line", () => {
  it('sends the code the line was booked with when its own rules for the flow write it, whatever rule is in force on the date', () => {
    const flows = destinationTaxFlows({ tax: OWN }, { tax: undefined })!;
    // A replay's correction of 04-01 carries its original's treatment, REVERSECHARGES: the rule of 04-01 (INPUT2) never recodes it.
    const entry = {
      sourceId: 'smm-panel',
      date: '2026-04-01',
      lines: [
        { account: 'smm_services_expense', cents: 90n, tax: booked('REVERSECHARGES', true) },
        { account: 'smm_order_costs', cents: -90n, tax: booked('REVERSECHARGES', true) },
      ],
    };
    expect(lineTaxCodes(entry, DEFAULT_TAX_CHART, flows).map((found) => found?.code)).toEqual([
      'REVERSECHARGES',
      'REVERSECHARGES',
    ]);
  });

  it('takes its own rule in force for a booked code none of its rules for the flow write (the chart coded it)', () => {
    const flows = destinationTaxFlows({ tax: OWN }, { tax: undefined })!;
    const entry = {
      sourceId: 'smm-panel',
      date: '2026-04-02',
      lines: [{ account: 'smm_services_expense', cents: 90n, tax: booked('RC20', true) }],
    };
    expect(lineTaxCodes(entry, DEFAULT_TAX_CHART, flows).map((found) => found?.code)).toEqual(['INPUT2']);
  });
});
