import type { JournalLine } from '../journal/journal-entry.js';
import { ADJUSTMENT_SOURCE_ID } from '../vocabulary.js';
import { handCodedDescription } from './hand-coded-description.js';
import { ruleInForce, type TaxChart, type TaxFlowKey, type TaxFlows } from './tax-flows.js';
import { taxedLines } from './tax-reversals.js';

/**
 * The chart's flow an adjusting entry's line takes `code` from on `date`: among the flows whose rule in force then
 * (adjusting entries taking the general rules) has that code, the one that codes the line's account and direction,
 * else the first; undefined when no flow's rule in force has the code. Example: tax: order_charge INPUT2 at 20 %,
 * bank_fees INPUT2 at 20 %; Dr smm_services_expense → order_charge; Dr suspense → order_charge (the first); OUTPUT9 → undefined.
 */
function flowOfCode(
  tax: { chart: TaxChart; flows: TaxFlows },
  code: string,
  date: string,
  line: { account: string; direction: 'debit' | 'credit' },
): TaxFlowKey | undefined {
  const flows = (Object.keys(tax.flows) as TaxFlowKey[]).filter(
    (flow) => ruleInForce(tax.flows[flow] ?? [], ADJUSTMENT_SOURCE_ID, date, true)?.code === code,
  );
  const own = taxedLines(tax.chart, tax.flows).get(`${line.direction} ${line.account}`);
  return own !== undefined && flows.includes(own) ? own : flows[0];
}

/** Every code the rules in force on `date` give, sorted: what a refusal of an unknown code lists. */
function codesInForce(flows: TaxFlows, date: string): string[] {
  const codes = (Object.keys(flows) as TaxFlowKey[]).flatMap(
    (flow) => ruleInForce(flows[flow] ?? [], ADJUSTMENT_SOURCE_ID, date, true)?.code ?? [],
  );
  return [...new Set(codes)].sort();
}

/** An adjusting entry's lines coded by hand, or why they cannot be: a code no rule in force gives, or no line to code. */
export type HandCoding = { lines: JournalLine[] } | { unknownCode: string; codes: string[] } | { noLineToCode: true };

/**
 * `adjust --tax CODE` (issue 82): each line on a revenue or expense account of the chart is coded `code` through the
 * flow whose rule in force on `date` gives it (flowOfCode), said in its description, so booking it (bookTax) splits it
 * by that rule's rate and every reader codes it alike; the other lines (suspense, a bank) are left as they are.
 * Example: tax: order_charge INPUT2 at 20 %; --tax INPUT2, Dr smm_services_expense 12.00 / Cr suspense 12.00 → the
 * debit "taxed as order_charge (adjust --tax INPUT2)", booked Dr 10.00 and Dr vat_input 2.00 (12.00 × 20 / 120).
 */
export function codedByHand(
  lines: readonly JournalLine[],
  tax: { chart: TaxChart; flows: TaxFlows },
  code: string,
  date: string,
): HandCoding {
  const codes = codesInForce(tax.flows, date);
  if (!codes.includes(code)) return { unknownCode: code, codes };
  if (!lines.some((line) => tax.chart.profitAndLoss.has(line.account))) return { noLineToCode: true };
  return {
    lines: lines.map((line) => {
      if (!tax.chart.profitAndLoss.has(line.account)) return line;
      const direction = line.amountMicros < 0n ? 'credit' : 'debit';
      const flow = flowOfCode(tax, code, date, { account: line.account, direction })!;
      return { ...line, description: handCodedDescription(flow, code) };
    }),
  };
}
