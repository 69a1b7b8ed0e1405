import { z } from 'zod';
import { BANK_FEES_ACCOUNT, EVENT_KINDS, isCalendarDate, type TaxChart, type TaxFlows } from '../rules/index.js';
import { nonEmptyText, sourceId } from './field-schemas.js';
import type { Chart } from './mappings-loader.js';

/** A rate in percent as decimal text: 20, 12.5, 0, 100 (never above). */
const RATE_TEXT = /^(100(\.0{1,4})?|\d{1,2}(\.\d{1,4})?)$/;

/** One dated rule of a flow: `{ code: INPUT2, from: 2026-03-15 }`, optionally for one source. */
const taxRuleSchema = z.lazy(() =>
  z.strictObject({
    code: nonEmptyText().max(50, 'must be at most 50 characters (a tax code, not a rate name)'),
    from: z.string().refine(isCalendarDate, 'must be a date written YYYY-MM-DD').optional(),
    source: sourceId.optional(),
    /** The rate's display name for the Xero CSV import ("Reverse Charge Expenses (20%)"); the API takes the code. */
    name: nonEmptyText().max(100, 'must be at most 100 characters').optional(),
    /** The code's rate in percent (`rate: 20`; 0 for a reverse charge): the ledger's own tax, tied out against the destination's. */
    rate: z
      .union([z.string(), z.number()])
      .transform((value) => String(value))
      .refine((value) => RATE_TEXT.test(value), 'must be a percent from 0 to 100, at most 4 decimals (20, 12.5, 0)')
      .optional(),
  }),
);

/** `order_charge: REVERSECHARGES` is the one-rule form of `order_charge: [{ code: REVERSECHARGES }]`. */
const flowSchema = z.lazy(() =>
  z
    .preprocess(
      (value) => (typeof value === 'string' ? [{ code: value }] : value),
      z
        .array(taxRuleSchema, 'must be a tax code or a list of { code, from, source }')
        .min(1, 'must give at least one rule'),
    )
    .superRefine((rules, context) => {
      const seen = new Set<string>();
      rules.forEach((rule, index) => {
        const key = `${rule.source ?? ''} ${rule.from ?? ''}`;
        if (seen.has(key)) {
          context.addIssue({
            code: 'custom',
            path: [index],
            message:
              `repeats another rule of the same ${rule.source === undefined ? 'flow' : `source (${rule.source})`} ` +
              `from the same date${rule.from === undefined ? ' (none)' : ` (${rule.from})`}: give each rule its own from:`,
          });
        }
        seen.add(key);
      });
    }),
);

/**
 * A mapping file's `tax:` section (issue 54): per event kind, the destination's tax code for the line that books
 * it to revenue or expense, optionally dated and per source (see rules' lineTaxCodes). Left out, no line carries
 * a code and every request is as it was.
 *
 * `bank_fees` codes every line on that account (accepted transit differences and `adjust` entries included).
 *
 *   tax:
 *     publisher_earnings: ZERORATEDOUTPUT
 *     bank_fees: EXEMPTINPUT
 *     order_charge:
 *       - { code: REVERSECHARGES }
 *       - { code: INPUT2, from: 2026-03-15 }
 */
export const taxSection = z.lazy(() =>
  z
    .partialRecord(
      z.enum([...EVENT_KINDS, BANK_FEES_ACCOUNT], {
        error: `must be an event kind of the chart (${EVENT_KINDS.join(', ')}) or ${BANK_FEES_ACCOUNT}`,
      }),
      flowSchema,
    )
    .transform((flows): TaxFlows => flows),
);

/** The chart as tax coding reads it: the event rules, and the accounts of type revenue or expense. */
export function taxChartOf(chart: Pick<Chart, 'accounts' | 'events'>): TaxChart {
  const profitAndLoss = new Set(
    Object.entries(chart.accounts)
      .filter(([, account]) => account.type === 'revenue' || account.type === 'expense')
      .map(([key]) => key),
  );
  return { events: chart.events, profitAndLoss };
}
