import { formatCents } from '../../money/index.js';
import { inclusiveTax, lineTaxCodes, type RenderedEntry, type TaxChart, type TaxFlows } from '../../rules/index.js';

/** One line of an entry a dry run lists with the tax code it goes out with (issue 70: see it before it leaves). */
export interface PlannedLineTax {
  account: string;
  /** Signed amount as decimal text, +debit, −credit: "-10.35". */
  amount: string;
  code: string;
  /** The flow that codes it, when one does ("publisher_clawback"); absent for the untaxed code. */
  flow?: string | undefined;
  /** The tax inside the amount at the rule's rate ("0.00"), when the rule gives a rate. */
  tax?: string | undefined;
}

/**
 * Each coded line of `entry` as the destination is sent it: the flow's code (a reversal's is its original's), else
 * the destination's untaxed code on a revenue or expense line (Xero NONE, QuickBooks `untaxedCode`), with the tax
 * inside it at the rule's rate. Example (a clawback, publisher_earnings → ZERORATEDOUTPUT rate 0): Dr ad_revenue
 * 10.35 → { account: ad_revenue, amount: "10.35", code: ZERORATEDOUTPUT, flow: publisher_clawback, tax: "0.00" }.
 */
export function plannedLineTaxes(
  entry: RenderedEntry,
  setup: { flows: TaxFlows; chart: TaxChart; untaxedCode?: string | undefined },
): PlannedLineTax[] {
  const codes = lineTaxCodes(entry, setup.chart, setup.flows);
  return entry.lines.flatMap((line, index) => {
    const found = codes[index];
    const code = found?.code ?? (setup.chart.profitAndLoss.has(line.account) ? setup.untaxedCode : undefined);
    if (code === undefined) return [];
    return [
      {
        account: line.account,
        amount: formatCents(line.cents),
        code,
        ...(found === undefined ? {} : { flow: found.kind }),
        ...(found?.rate === undefined ? {} : { tax: formatCents(inclusiveTax(line.cents, found.rate)) }),
      },
    ];
  });
}
