import type { RenderedEntry } from '../journal/rendered-entry.js';
import { lineTaxCodes, type TaxChart, type TaxFlows } from './tax-flows.js';
import { inclusiveTax } from './tax-rate.js';
import { foldTaxLines } from './vat-lines.js';

/** One coded line of an entry as the ledger computes it: its code, the line's signed cents and the tax inside them. */
interface LedgerLineTax {
  /** The line's index in the entry. */
  line: number;
  account: string;
  code: string;
  name?: string | undefined;
  /** Signed cents of the line, tax included (+debit, −credit). */
  cents: bigint;
  /** The tax inside `cents` at the rule's rate; undefined when the rule gives no rate. */
  taxCents?: bigint | undefined;
}

/**
 * The ledger's own tax on each coded line of an entry: the code and rate the line was booked with (issue 82; on an
 * entry booked before lines kept theirs, the rule in force on the entry's date: lineTaxCodes) and the tax at that
 * rate, so a re-map of the chart never changes a booked line's figures. Example (order_charge: { code: INPUT2,
 * rate: "20" }): Dr smm_services_expense 150.56 → { code: INPUT2, cents: 15056n, taxCents: 2509n }. An entry that booked the tax (bookTax) is read with its
 * VAT lines folded back into their lines (foldTaxLines): Dr 125.47 + Dr vat_input 25.09 is the same 150.56 line; a
 * reverse charge's line holds no tax (its legs cancel).
 */
export function ledgerLineTaxes(entry: RenderedEntry, chart: TaxChart, flows: TaxFlows): LedgerLineTax[] {
  const lines = foldTaxLines(entry.lines).lines;
  const codes = lineTaxCodes({ ...entry, lines }, chart, flows);
  return lines.flatMap((line, index) => {
    const found = codes[index];
    if (found === undefined) return [];
    return [
      {
        line: index,
        account: line.account,
        code: found.code,
        ...(found.name === undefined ? {} : { name: found.name }),
        cents: line.cents,
        ...(found.rate === undefined
          ? {}
          : { taxCents: found.reverseCharge === true ? 0n : inclusiveTax(line.cents, found.rate) }),
      },
    ];
  });
}

/** One code's lines of one period (YYYY-MM), summed: what the return reads from these flows. */
export interface TaxPeriodTotal {
  period: string;
  code: string;
  name?: string | undefined;
  lines: number;
  /** Signed cents of the lines, tax included (+debit, −credit). */
  cents: bigint;
  /** The tax inside them; undefined when a line's rule gives no rate. */
  taxCents?: bigint | undefined;
}

/**
 * The coded lines of `entries` summed per period (the entry's month) and code, in period then code order: what a
 * return filed from these books shows of each code. Net of tax is cents − taxCents.
 */
export function taxPeriodTotals(
  entries: readonly { date: string; taxes: readonly LedgerLineTax[] }[],
): TaxPeriodTotal[] {
  const totals = new Map<string, TaxPeriodTotal>();
  for (const entry of entries) {
    for (const tax of entry.taxes) {
      const period = entry.date.slice(0, 7);
      const key = `${period} ${tax.code}`;
      const total = totals.get(key) ?? { period, code: tax.code, name: tax.name, lines: 0, cents: 0n, taxCents: 0n };
      total.lines += 1;
      total.cents += tax.cents;
      total.taxCents =
        total.taxCents === undefined || tax.taxCents === undefined ? undefined : total.taxCents + tax.taxCents;
      totals.set(key, total);
    }
  }
  return [...totals.values()].sort((a, b) =>
    a.period === b.period ? (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) : a.period < b.period ? -1 : 1,
  );
}
