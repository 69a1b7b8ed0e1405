import { divideHalfEven } from '../../money/index.js';
import type { JournalEntry, JournalLine } from '../journal/journal-entry.js';
import { inclusiveTax, reverseChargeLegs } from './tax-rate.js';
import type { BookedLineTax } from './line-treatment.js';
import { lineTaxCodes, type LineTaxCode, type TaxChart, type TaxFlows } from './tax-flows.js';
import { VAT_INPUT_ACCOUNT, VAT_OUTPUT_ACCOUNT } from './vat-lines.js';

const MICROS_PER_CENT = 10_000n;

/** The chart's own tax (issue 70): each flow's dated rules, with the ledger's code and rate, and the revenue accounts. */
export interface TaxBook {
  flows: TaxFlows;
  chart: TaxChart;
  /** Revenue accounts: a coded line on one books its tax to vat_output, any other coded line to vat_input. */
  revenue: ReadonlySet<string>;
}

/**
 * The ledger books the tax (issue 70): each coded line of `entry` whose rule gives a rate is split into the net, on
 * its own account, and the tax, on the VAT account right after it, so the ledger's books hold what the return and
 * the destination hold. The tax is what a destination splits out of the line, per line, to the cent, half to even
 * (inclusiveTax on the line's cents): 76.79 of ad revenue at 20 % (OUTPUT2) → Cr ad_revenue 63.99, Cr vat_output
 * 12.80 (76.79 × 20 / 120 = 12.798…); 12.28 of SMM services at 20 % (INPUT2) → Dr smm_services_expense 10.23,
 * Dr vat_input 2.05. A reverse charge (`reverseCharge: true`, e.g. REVERSECHARGES at 20 %) keeps the line whole
 * (nothing is paid to the supplier for tax) and books both legs of the rate on it, which cancel: 100.00 → Dr
 * vat_input 20.00, Cr vat_output 20.00. A line of 0.00 tax gets no tax line. The entry stays balanced exactly.
 * Each line keeps its treatment (issue 82, line-treatment.ts): a coded line its code, rate, side and base, every other
 * line (its VAT lines too) `tax: null`, so no reader codes it again from a chart changed since.
 */
export function bookTax(entry: JournalEntry, book: TaxBook | undefined): JournalEntry {
  if (book === undefined) return entry;
  // A reversal's line may say its original's date (reversal-dates.ts): its description goes along.
  const signed = entry.lines.map((line) => ({
    account: line.account,
    cents: line.amountMicros,
    description: line.description,
  }));
  const codes = lineTaxCodes({ sourceId: entry.sourceId, date: entry.date, lines: signed }, book.chart, book.flows);
  const lines: JournalLine[] = [];
  entry.lines.forEach((line, index) => {
    // The code carries its rule's rate and treatment, a reversal's its original's (a clawback taxed as its earnings).
    const code = codes[index];
    if (code === undefined) return void lines.push({ ...line, tax: null });
    const treated = { ...line, tax: treatmentOf(code, line, book.revenue.has(line.account)) };
    if (code.rate === undefined) return void lines.push(treated);
    lines.push(...taxedLines(treated, code.rate, code.reverseCharge === true, book.revenue.has(line.account)));
  });
  return { ...entry, lines };
}

/** The treatment a coded line is booked with (issue 82), kept with it: its base is the line as the rule found it. */
function treatmentOf(code: LineTaxCode, line: JournalLine, revenue: boolean): BookedLineTax {
  return {
    flow: code.kind,
    ...(code.reverses === undefined ? {} : { reverses: code.reverses }),
    code: code.code,
    ...(code.name === undefined ? {} : { name: code.name }),
    ...(code.rate === undefined ? {} : { rate: code.rate }),
    side: revenue ? 'sales' : 'purchases',
    reverseCharge: code.reverseCharge === true,
    baseMicros: line.amountMicros,
  };
}

/** One coded line as booked: [net, tax] (a reverse charge: [line, input leg, output leg]), zero lines left out. */
function taxedLines(line: JournalLine, rate: string, reverseCharge: boolean, revenue: boolean): JournalLine[] {
  const description = `VAT: ${line.description ?? ''}`;
  const tax = (account: string, micros: bigint): JournalLine[] =>
    micros === 0n ? [] : [{ account, currency: line.currency, amountMicros: micros, description, tax: null }];
  if (reverseCharge) {
    const legs = reverseChargeLegs(line.amountMicros, rate, MICROS_PER_CENT);
    return [
      line,
      ...tax(VAT_INPUT_ACCOUNT, legs.input * MICROS_PER_CENT),
      ...tax(VAT_OUTPUT_ACCOUNT, legs.output * MICROS_PER_CENT),
    ];
  }
  const grossCents = divideHalfEven(line.amountMicros, MICROS_PER_CENT);
  const taxMicros = inclusiveTax(grossCents, rate) * MICROS_PER_CENT;
  if (taxMicros === 0n || taxMicros === line.amountMicros) return [line];
  return [
    { ...line, amountMicros: line.amountMicros - taxMicros },
    ...tax(revenue ? VAT_OUTPUT_ACCOUNT : VAT_INPUT_ACCOUNT, taxMicros),
  ];
}

/**
 * The treatments of an entry booked before lines kept theirs (migration 0039), given once from the rules in force on
 * its date, as lineTaxCodes coded it for every reader until then: one per line, `null` where no rule codes it (its
 * VAT lines too). A coded line's base is the line as the rule found it: its net and the VAT line booked right after
 * it. Example: Cr ad_revenue 63.99, Cr vat_output 12.80 under OUTPUT2 at 20 % → [{ code: OUTPUT2, base −76.79 }, null].
 */
export function treatmentsOfBooked(
  entry: { sourceId: string; date: string; lines: readonly BookedLine[] },
  book: TaxBook,
): (BookedLineTax | null)[] {
  const signed = entry.lines.map((line) => ({ ...line, cents: line.amountMicros }));
  const codes = lineTaxCodes({ sourceId: entry.sourceId, date: entry.date, lines: signed }, book.chart, book.flows);
  return entry.lines.map((line, index) => {
    const code = codes[index];
    if (code === undefined) return null;
    const next = entry.lines[index + 1];
    const split =
      code.rate !== undefined &&
      code.reverseCharge !== true &&
      next !== undefined &&
      (next.account === VAT_INPUT_ACCOUNT || next.account === VAT_OUTPUT_ACCOUNT) &&
      next.description === `VAT: ${line.description ?? ''}`;
    const base = split ? line.amountMicros + next.amountMicros : line.amountMicros;
    return treatmentOf(code, { ...line, amountMicros: base }, book.revenue.has(line.account));
  });
}

/** A booked journal line as treatmentsOfBooked reads it. */
interface BookedLine {
  account: string;
  currency: string;
  amountMicros: bigint;
  description?: string | undefined;
}
