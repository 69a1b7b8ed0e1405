import { formatCents } from '../../money/index.js';
import {
  ledgerLineTaxes,
  taxPeriodTotals,
  type RenderedEntry,
  type TaxChart,
  type TaxFlows,
} from '../../rules/index.js';
import { table, text } from './html.js';

/** One destination's tax mapping (its mapping file's `tax:`), as the report reads it. */
export interface ReportTaxMapping {
  /** The destination's kind: "xero". */
  destination: string;
  /** How the page names it: "Xero". */
  service: string;
  flows: TaxFlows;
  chart: TaxChart;
}

/** One code's lines in one period, as decimal text signed debit positive; tax and net are null when its rule gives no rate. */
interface TaxSummaryRow {
  period: string;
  code: string;
  name: string | null;
  lines: number;
  gross: string;
  tax: string | null;
  net: string | null;
}

/** What the return will show from these flows at one destination: its coded lines per period and code. */
export interface TaxSummary {
  destination: string;
  service: string;
  rows: TaxSummaryRow[];
}

/**
 * The report's tax summary (issue 54): for each destination whose mapping codes flows, the window's coded lines
 * summed per period (month) and code, with the tax inside them at the rule's rate (the same recomputation as the
 * tie-out in `reconcile --with`, ledgerLineTaxes), so the figures are those the destination computes on the posted
 * journals. Empty, and nothing read, when no destination maps tax. Example (Xero, advertiser_spend → INPUT2 at
 * 20 %): 4.25 spent on 03-30 → 2026-03 INPUT2: 1 line, gross 4.25, tax 0.71, net 3.54.
 */
export async function taxSummaries(
  entries: () => AsyncIterable<RenderedEntry>,
  mappings: readonly ReportTaxMapping[],
): Promise<TaxSummary[]> {
  if (mappings.length === 0) return [];
  const coded = mappings.map(() => [] as Parameters<typeof taxPeriodTotals>[0][number][]);
  for await (const entry of entries()) {
    mappings.forEach((mapping, index) => {
      const taxes = ledgerLineTaxes(entry, mapping.chart, mapping.flows);
      if (taxes.length > 0) coded[index]!.push({ date: entry.date, taxes });
    });
  }
  return mappings.map((mapping, index) => ({
    destination: mapping.destination,
    service: mapping.service,
    rows: taxPeriodTotals(coded[index]!).map((total) => ({
      period: total.period,
      code: total.code,
      name: total.name ?? null,
      lines: total.lines,
      gross: formatCents(total.cents),
      tax: total.taxCents === undefined ? null : formatCents(total.taxCents),
      net: total.taxCents === undefined ? null : formatCents(total.cents - total.taxCents),
    })),
  }));
}

/** The page's tax section: one table per destination; nothing for a team with no tax mapping. */
export function taxSection(summaries: readonly TaxSummary[]): string {
  if (summaries.length === 0) return '';
  const tables = summaries.map((summary) =>
    table(
      `${summary.service}: coded lines per period and code, debit positive, credit negative (sales are negative)`,
      ['period', 'code', 'rate', 'lines', 'gross', 'tax', 'net'],
      summary.rows.map((row) => [row.period, row.code, row.name, row.lines, row.gross, row.tax, row.net]),
      ` id="tax-${text(summary.destination)}"`,
    ),
  );
  return (
    `<section id="tax"><h2>Tax per code</h2>
<p class="hint">What the return will show from these flows: each destination's coded lines ` +
    `per month and tax code, the tax inside them at the mapping's rate: the figures the destination ` +
    `computes on the posted journals (<code>reconcile --with</code> ties them out). A blank tax ` +
    `is a rule without <code>rate:</code>. Which code a flow takes is your accountant's decision.</p>
${tables.join('\n')}</section>`
  );
}
