import { ConfigError } from '../../errors.js';
import { divideHalfEven, parseScaled } from '../../money/index.js';
import { lineTaxCodes, taxFlowProblems, type RenderedEntry, type TaxChart, type TaxFlows } from '../../rules/index.js';

/** mappings/xero.yaml's `tax:` flows with the chart they read (issue 54); absent, no line carries a flow's code. */
export interface XeroTaxSetup {
  flows: TaxFlows;
  chart: TaxChart;
}

/** Each line's TaxType from the flows (undefined where no flow codes it), or undefined without a tax section. */
export function xeroLineTaxTypes(entry: RenderedEntry, tax: XeroTaxSetup | undefined): (string | undefined)[] | undefined {
  if (tax === undefined) return undefined;
  return lineTaxCodes(entry, tax.chart, tax.flows).map((found) => found?.code);
}

/** Refuses a tax section the chart cannot give a meaning to (taxFlowProblems), naming the file and the key. */
export function assertTaxFlows(tax: XeroTaxSetup | undefined, mappingFile: string): void {
  if (tax === undefined) return;
  const problems = taxFlowProblems(tax.chart, tax.flows);
  if (problems.length > 0) throw new ConfigError(problems.map((problem) => ({ file: mappingFile, ...problem })));
}

/** Rates are read to four decimals of a percent ("12.5" → 125000n), as Xero's EffectiveRate carries them. */
const RATE_SCALE = 4;
const HUNDRED_PERCENT = 100n * 10n ** BigInt(RATE_SCALE);

/**
 * The tax Xero stores on one journal line, in cents, signed like the line, at the rate's EffectiveRate (GET
 * TaxRates; a reverse charge's is 0, its two components cancelling): Inclusive takes it out of the amount
 * (−120.00 at 20 % holds −20.00; 100.01 at 20 % holds 16.668… → 16.67), Exclusive adds it on top (100.00 at 20 %
 * → 20.00), NoTax carries none. Each line on its own, rounded to the cent half to even: whether Xero rounds a
 * half cent to even or away from zero on a manual journal is not published [U]; the fake does the same.
 */
export function xeroLineTax(cents: bigint, effectiveRate: string, lineAmountTypes: 'Inclusive' | 'Exclusive' | 'NoTax'): bigint {
  if (lineAmountTypes === 'NoTax') return 0n;
  const rate = parseScaled(effectiveRate, RATE_SCALE);
  return lineAmountTypes === 'Exclusive' ? divideHalfEven(cents * rate, HUNDRED_PERCENT) : divideHalfEven(cents * rate, HUNDRED_PERCENT + rate);
}
