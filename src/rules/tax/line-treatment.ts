/**
 * How a journal line was taxed when it was booked (issue 82): the flow it came from, the ledger's code, the rate,
 * sales or purchase side, reverse charge or not, and the base the tax was worked on. Worked out once, by the rules
 * in force on the entry's date (bookTax, lineTaxCodes), and stored with the line; every reader reads it back, so a
 * later re-map of the chart changes future entries, never what a booked (closed, filed, sent) line shows.
 * Example: the panel's 0.90 of SMM services bought from abroad on 2026-03-30, `order_charge` reverse-charged at 20 %
 * → { flow: order_charge, code: REVERSECHARGES, rate: "20", side: purchases, reverseCharge: true, baseMicros: 900000n }.
 */
export interface BookedLineTax {
  /** The flow whose rule coded the line: an event kind, or `bank_fees`. */
  flow: string;
  /** The flow whose rule a reversal without its own took (order_refund → order_charge). */
  reverses?: string | undefined;
  code: string;
  name?: string | undefined;
  /** The rate in percent, decimal text ("20"); undefined when the rule gives none. */
  rate?: string | undefined;
  /** A line on a revenue account is on the sales side, any other coded line on the purchase side. */
  side: TaxSide;
  reverseCharge: boolean;
  /** The line's signed micro-units the tax was worked on, tax included (+debit, −credit): 0.90 → 900000n. */
  baseMicros: bigint;
}

export type TaxSide = 'sales' | 'purchases';

/**
 * A line's tax as booked: `null` when the entry was booked with its treatment and this line took no code (a VAT line,
 * a balance sheet line); `undefined` (no field) when the entry was booked before lines kept their treatment.
 */
export type BookedTaxField = BookedLineTax | null;

/** Whether an entry's lines carry their booked treatment: then no reader codes them again from the chart. */
export function bookedWithTreatment(lines: readonly { tax?: BookedTaxField | undefined }[]): boolean {
  return lines.some((line) => line.tax !== undefined);
}

/** The key a correction groups lines by (account, currency and treatment, its base left out): what a destination codes alike. */
export function treatmentKey(line: { account: string; currency: string; tax?: BookedTaxField | undefined }): string {
  const tax = line.tax;
  return JSON.stringify([
    line.account,
    line.currency,
    tax === undefined || tax === null
      ? null
      : [tax.flow, tax.reverses ?? null, tax.code, tax.name ?? null, tax.rate ?? null, tax.side, tax.reverseCharge],
  ]);
}

/**
 * A line's tax treatment as the journal reads give it (journal_line_taxes, migration 0039), after its other columns:
 * `taxed` 1 when the line has a row, null when its entry was booked without one (or the row is a rounding line).
 */
export type LineTaxColumns = [
  taxed?: bigint | number | null,
  flow?: string | null,
  reverses?: string | null,
  code?: string | null,
  name?: string | null,
  rate?: string | null,
  side?: string | null,
  reverseCharge?: bigint | number | null,
  baseMicros?: bigint | number | null,
];

/**
 * A line's tax treatment from its columns: undefined when its entry was booked without one, null when it was booked
 * with none (no rule coded the line), else the treatment. [1, order_charge, null, REVERSECHARGES, null, "20",
 * purchases, 1, 900000] → { flow: order_charge, code: REVERSECHARGES, rate: "20", side: purchases, reverseCharge: true, … }.
 */
export function bookedTaxOfColumns([
  taxed,
  flow,
  reverses,
  code,
  name,
  rate,
  side,
  reverseCharge,
  baseMicros,
]: LineTaxColumns): BookedTaxField | undefined {
  if (taxed === null || taxed === undefined) return undefined;
  if (code === null || code === undefined || flow === null || flow === undefined) return null;
  return {
    flow,
    ...(reverses === null || reverses === undefined ? {} : { reverses }),
    code,
    ...(name === null || name === undefined ? {} : { name }),
    ...(rate === null || rate === undefined ? {} : { rate }),
    side: side === 'sales' ? 'sales' : 'purchases',
    reverseCharge: Number(reverseCharge) === 1,
    baseMicros: BigInt(baseMicros ?? 0),
  };
}
